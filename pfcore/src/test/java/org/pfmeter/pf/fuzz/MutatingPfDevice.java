package org.pfmeter.pf.fuzz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfConstants;
import org.pfmeter.pf.abi.PfDevice;

/**
 * A pf device that answers like another one and then lies: after each call it corrupts what the
 * kernel wrote back, by one {@link Strategy}, driven by a seeded random source so that every case can
 * be replayed from its seed.
 */
final class MutatingPfDevice implements PfDevice {

    /** What kind of lie a case tells. */
    enum Strategy {
        /** Random bytes of the argument or a pointee XORed, or a random aligned word overwritten. */
        BYTE_FLIPS,
        /** Names without NUL, with invalid UTF-8, '/', backslashes, or empty. */
        NAMES,
        /** Element counts (pfiio_size, pfrio_size, the rule, anchor and queue nr) negative, huge or off by one. */
        COUNTS,
        /** Element sizes that lie: pfiio_esize, pfrio_esize and the queue statistics' nbytes. */
        ELEMENT_SIZES,
        /** Outputs cut short: everything from a random byte on is zero. */
        TRUNCATED,
        /** Rule walks whose nr jumps, tickets that change or vanish, errnos in the middle of a walk. */
        WALKS
    }

    private static final int[] ERRNOS = {Errno.EBUSY, Errno.ENXIO, Errno.EINVAL, Errno.ENOENT, Errno.ENODEV,
        Errno.EACCES, Errno.EPERM, Errno.ENOTTY, 12 /* ENOMEM */, 5 /* EIO */};

    private final PfDevice delegate;
    private final PfAbi abi;
    private final Strategy strategy;
    private final SplittableRandom rnd;
    private final double rate;
    private int mutations;

    MutatingPfDevice(PfDevice delegate, PfAbi abi, Strategy strategy, SplittableRandom rnd, double rate) {
        this.delegate = delegate;
        this.abi = abi;
        this.strategy = strategy;
        this.rnd = rnd;
        this.rate = rate;
    }

    int mutations() {
        return mutations;
    }

    @Override
    public int ioctl(IoctlCall call) {
        if (strategy == Strategy.WALKS && isWalk(call.name()) && rnd.nextDouble() < rate / 4) {
            mutations++;
            return ERRNOS[rnd.nextInt(ERRNOS.length)];      // the walk breaks off: ticket gone, ruleset changed …
        }
        int errno = delegate.ioctl(call);
        if (rnd.nextDouble() < rate) {
            if (mutate(call)) {
                mutations++;
            }
        }
        return errno;
    }

    private static boolean isWalk(String name) {
        return name.equals("DIOCGETRULE") || name.equals("DIOCGETRULES") || name.equals("DIOCGETRULESET")
                || name.equals("DIOCGETRULESETS") || name.equals("DIOCGETQSTATS") || name.equals("DIOCGETQUEUES")
                || name.equals("DIOCXEND");
    }

    private boolean mutate(IoctlCall call) {
        return switch (strategy) {
            case BYTE_FLIPS -> flip(call);
            case NAMES -> name(call);
            case COUNTS -> count(call);
            case ELEMENT_SIZES -> esize(call);
            case TRUNCATED -> truncate(call);
            case WALKS -> walk(call);
        };
    }

    private ByteBuffer anyBuffer(IoctlCall call) {
        List<ByteBuffer> all = new ArrayList<>();
        all.add(call.argument());
        for (IoctlCall.Pointee p : call.pointees()) {
            all.add(p.buffer());
        }
        return all.get(rnd.nextInt(all.size()));
    }

    private boolean flip(IoctlCall call) {
        ByteBuffer b = anyBuffer(call);
        if (b.capacity() == 0) {
            return false;
        }
        if (rnd.nextBoolean()) {
            int n = 1 + rnd.nextInt(8);
            for (int i = 0; i < n; i++) {
                int at = rnd.nextInt(b.capacity());
                b.put(at, (byte) (b.get(at) ^ (1 + rnd.nextInt(255))));
            }
        } else if (b.capacity() >= 4) {
            int at = rnd.nextInt(b.capacity() / 4) * 4;
            b.putInt(at, hostile(b.getInt(at)));
        }
        return true;
    }

    /** A value a lying kernel might put in an int field that held {@code was}. */
    private int hostile(int was) {
        return switch (rnd.nextInt(12)) {
            case 0 -> -1;
            case 1 -> Integer.MIN_VALUE;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> 0;
            case 4 -> was + 1;
            case 5 -> was - 1;
            case 6 -> was * 2 + 1;
            case 7 -> 1 << 16;
            case 8 -> (1 << 20) + 1;
            case 9 -> rnd.nextBoolean() ? 0x7fff_fff0 : 1 << 20;
            case 10 -> rnd.nextInt(1 << 12);
            default -> rnd.nextInt();
        };
    }

    // ---- names ----

    private record Name(ByteBuffer buffer, int offset, int capacity) {
    }

    private List<Name> names(IoctlCall call) {
        List<Name> n = new ArrayList<>();
        ByteBuffer a = call.argument();
        switch (call.name()) {
            case "DIOCGETSTATUS" -> n.add(new Name(a, abi.struct("pf_status").offset("ifname"), PfConstants.IFNAMSIZ));
            case "DIOCGETRULE" -> {
                CStruct r = abi.struct("pfioc_rule");
                n.add(new Name(a, r.offset("rule", "label"), PfConstants.PF_RULE_LABEL_SIZE));
                n.add(new Name(a, r.offset("anchor_call"), PfConstants.PATH_MAX));
                n.add(new Name(a, r.offset("anchor"), PfConstants.PATH_MAX));
            }
            case "DIOCGETRULESET" -> n.add(new Name(a, abi.struct("pfioc_ruleset").offset("name"), PfConstants.PF_ANCHOR_NAME_SIZE));
            case "DIOCGETQSTATS" -> {
                CStruct q = abi.struct("pfioc_qstats");
                n.add(new Name(a, q.offset("queue", "qname"), PfConstants.PF_QNAME_SIZE));
                n.add(new Name(a, q.offset("queue", "parent"), PfConstants.PF_QNAME_SIZE));
                n.add(new Name(a, q.offset("queue", "ifname"), PfConstants.IFNAMSIZ));
            }
            case "DIOCIGETIFACES" -> {
                int size = abi.kif().size();
                for (IoctlCall.Pointee p : call.pointees()) {
                    for (int at = 0; at + size <= p.buffer().capacity(); at += size) {
                        n.add(new Name(p.buffer(), at + abi.struct("pfi_kif").offset("pfik_name"), PfConstants.IFNAMSIZ));
                    }
                }
            }
            case "DIOCRGETTSTATS" -> {
                int size = abi.tstats().size();
                CStruct t = abi.struct("pfr_tstats");
                for (IoctlCall.Pointee p : call.pointees()) {
                    for (int at = 0; at + size <= p.buffer().capacity(); at += size) {
                        n.add(new Name(p.buffer(), at + t.offset("pfrts_t", "pfrt_name"), PfConstants.PF_TABLE_NAME_SIZE));
                        n.add(new Name(p.buffer(), at + t.offset("pfrts_t", "pfrt_anchor"), PfConstants.PATH_MAX));
                    }
                }
            }
            default -> {
            }
        }
        return n;
    }

    private boolean name(IoctlCall call) {
        List<Name> names = names(call);
        if (names.isEmpty()) {
            return false;
        }
        Name n = names.get(rnd.nextInt(names.size()));
        ByteBuffer b = n.buffer();
        switch (rnd.nextInt(6)) {
            case 0 -> {                                           // no NUL anywhere in the array
                for (int i = 0; i < n.capacity(); i++) {
                    b.put(n.offset() + i, (byte) (1 + rnd.nextInt(255)));
                }
            }
            case 1 -> b.put(n.offset(), (byte) 0);               // empty
            case 2 -> put(b, n, new byte[] {'.', '.'});
            case 3 -> put(b, n, new byte[] {'a', '/', 'b'});
            case 4 -> put(b, n, new byte[] {'\\', 'x', 'f', 'f', (byte) 0xff, (byte) 0xc3, '"', '\n', '='});
            default -> {                                          // random bytes, terminated
                int len = rnd.nextInt(n.capacity());
                byte[] r = new byte[len];
                for (int i = 0; i < len; i++) {
                    r[i] = (byte) (1 + rnd.nextInt(255));
                }
                put(b, n, r);
            }
        }
        return true;
    }

    private static void put(ByteBuffer b, Name n, byte[] bytes) {
        int len = Math.min(bytes.length, n.capacity() - 1);
        b.put(n.offset(), bytes, 0, len);
        b.put(n.offset() + len, (byte) 0);
    }

    // ---- counts and element sizes ----

    private int countOffset(String name) {
        return switch (name) {
            case "DIOCIGETIFACES" -> abi.struct("pfioc_iface").offset("pfiio_size");
            case "DIOCRGETTSTATS" -> abi.struct("pfioc_table").offset("pfrio_size");
            case "DIOCGETRULES", "DIOCGETRULE" -> abi.struct("pfioc_rule").offset("nr");
            case "DIOCGETRULESETS", "DIOCGETRULESET" -> abi.struct("pfioc_ruleset").offset("nr");
            case "DIOCGETQUEUES" -> abi.struct("pfioc_queue").offset("nr");
            case "DIOCGETQSTATS" -> abi.struct("pfioc_qstats").offset("nr");
            default -> -1;
        };
    }

    private boolean count(IoctlCall call) {
        int at = countOffset(call.name());
        if (at < 0) {
            return false;
        }
        call.argument().putInt(at, hostile(call.argument().getInt(at)));
        return true;
    }

    private boolean esize(IoctlCall call) {
        int at = switch (call.name()) {
            case "DIOCIGETIFACES" -> abi.struct("pfioc_iface").offset("pfiio_esize");
            case "DIOCRGETTSTATS" -> abi.struct("pfioc_table").offset("pfrio_esize");
            case "DIOCGETQSTATS" -> abi.struct("pfioc_qstats").offset("nbytes");
            default -> -1;
        };
        if (at < 0) {
            return false;
        }
        call.argument().putInt(at, hostile(call.argument().getInt(at)));
        return true;
    }

    private boolean truncate(IoctlCall call) {
        ByteBuffer b = anyBuffer(call);
        if (b.capacity() == 0) {
            return false;
        }
        for (int i = rnd.nextInt(b.capacity()); i < b.capacity(); i++) {
            b.put(i, (byte) 0);
        }
        return true;
    }

    // ---- walks ----

    private boolean walk(IoctlCall call) {
        ByteBuffer a = call.argument();
        switch (call.name()) {
            case "DIOCGETRULES", "DIOCGETRULE" -> {
                CStruct r = abi.struct("pfioc_rule");
                int at = rnd.nextBoolean() ? r.offset("ticket") : r.offset("nr");
                a.putInt(at, hostile(a.getInt(at)));
            }
            case "DIOCGETRULESETS", "DIOCGETRULESET" -> {
                CStruct s = abi.struct("pfioc_ruleset");
                if (rnd.nextBoolean()) {
                    a.putInt(s.offset("nr"), hostile(a.getInt(s.offset("nr"))));
                } else {                                          // a path or name that is not terminated
                    int at = rnd.nextBoolean() ? s.offset("path") : s.offset("name");
                    int cap = at == s.offset("path") ? PfConstants.PATH_MAX : PfConstants.PF_ANCHOR_NAME_SIZE;
                    for (int i = 0; i < cap; i++) {
                        a.put(at + i, (byte) 'a');
                    }
                }
            }
            case "DIOCGETQUEUES", "DIOCGETQSTATS" -> {
                CStruct q = abi.struct(call.name().equals("DIOCGETQUEUES") ? "pfioc_queue" : "pfioc_qstats");
                int at = rnd.nextBoolean() ? q.offset("ticket") : q.offset("nr");
                a.putInt(at, hostile(a.getInt(at)));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    public String kernelRelease() {
        return delegate.kernelRelease();
    }

    @Override
    public String describe() {
        return "mutating " + strategy + " over " + delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
