package org.pfmeter.pf.abi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.SourceEntries;
import org.pfmeter.pf.model.SourceEntry;
import org.pfmeter.pf.model.SourceLimiter;
import org.pfmeter.pf.model.StateLimiter;

/**
 * How the state and source limiters of pfvar.h 1.548 are read, as pf_ioctl.c 1.428 answers:
 *
 * <ul>
 * <li>DIOCGETNSTATELIM / DIOCGETNSOURCELIM return the limiter with the smallest id at or above
 *     {@code id} (RBT_NFIND on the active id tree); the walk starts at PF_*LIM_ID_MIN and asks again
 *     from one past the id returned. The end is ENOENT for state limiters and ESRCH for source
 *     limiters. The kernel fills the configuration and counters but not {@code description} (it does
 *     not keep one) nor {@code ticket}.</li>
 * <li>DIOCGETNSOURCE copies in the {@code key} entry (af, rdomain, addr), finds the first address
 *     entry at or after it in (af, rdomain, address in network order) order and copies out entries
 *     until the {@code entrieslen} buffer is full or the entries end, then sets {@code entrieslen} to
 *     the bytes written and {@code limit}/{@code inet_prefix}/{@code inet6_prefix} from the limiter.
 *     ENOENT: nothing at or after the key; ESRCH: the limiter is gone (a ruleset without it was
 *     loaded); EINVAL: {@code entry_size} is not the kernel's; EMSGSIZE: the buffer ends inside an
 *     entry. The next batch's key is the successor of the last address returned.</li>
 * </ul>
 *
 * The address entries are aggregated as they arrive (a count and the top N by states in use), so
 * memory does not grow with the number of addresses.
 */
public final class LimiterProtocol {

    /** PF_STATELIM_ID_MIN / PF_SOURCELIM_ID_MIN. */
    static final long ID_MIN = 1;
    /** PF_STATELIM_ID_MAX / PF_SOURCELIM_ID_MAX: ids fit the uint8_t in pf_state. */
    static final long ID_MAX = 255;
    /** Entries asked for per DIOCGETNSOURCE. */
    static final int BATCH = 256;
    /** Refuse to walk more address entries than this for one limiter (PF_STATELIM_LIMIT_MAX is 2^24). */
    static final long MAX_SOURCES = 1L << 24;
    static final int AF_INET = 2;
    static final int AF_INET6 = 24;

    private final PfDevice device;
    private final PfAbi abi;
    private final int busyAttempts;
    private final int batch;

    public LimiterProtocol(PfDevice device, PfAbi abi, int busyAttempts) {
        this(device, abi, busyAttempts, BATCH);
    }

    /** @param batch address entries asked for per DIOCGETNSOURCE (tests walk with small batches) */
    public LimiterProtocol(PfDevice device, PfAbi abi, int busyAttempts, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        this.batch = batch;
        if (!abi.release().hasLimiters()) {
            throw new IllegalArgumentException("pf of OpenBSD " + abi.release().version() + " has no limiters");
        }
        this.device = device;
        this.abi = abi;
        this.busyAttempts = busyAttempts;
    }

    private int call(PfIoctl io, ByteBuffer arg, IoctlCall.Pointee... pointees) {
        return device.ioctl(new IoctlCall(io.name(), abi.request(io), arg, List.of(pointees)));
    }

    /** An errno other than the end of the walk. */
    private PfIoctlException failure(PfIoctl io, int errno) {
        if (errno == Errno.ENOTTY || errno == Errno.ENODEV) {
            return PfIoctlException.abiMismatch(io.name(), errno, abi.release(), "the kernel does not know this request, "
                    + "which pf has since pfvar.h 1.548 (OpenBSD 7.9)");
        }
        return PfIoctlException.of(io.name(), errno, abi.release());
    }

    private static <T> T decoding(PfIoctl io, java.util.function.Supplier<T> decode) throws PfIoctlException {
        try {
            return decode.get();
        } catch (MalformedAnswerException e) {
            throw PfIoctlException.malformed(io.name(), e.getMessage());
        }
    }

    // ---- state limiters ----

    /** Every state limiter, by id. */
    public List<StateLimiter> readStateLimiters() throws PfIoctlException {
        CStruct s = abi.struct("pfioc_statelim");
        List<StateLimiter> out = new ArrayList<>();
        long id = ID_MIN;
        while (id <= ID_MAX) {
            ByteBuffer b = NativeBytes.allocate(s.size());
            NativeBytes.putU32(b, s.offset("id"), id);
            int errno = call(PfIoctl.DIOCGETNSTATELIM, b);
            if (errno == Errno.ENOENT) {
                break;
            }
            if (errno != 0) {
                throw failure(PfIoctl.DIOCGETNSTATELIM, errno);
            }
            long got = nextId(PfIoctl.DIOCGETNSTATELIM, NativeBytes.u32(b, s.offset("id")), id);
            CStruct rate = (CStruct) s.field("rate").type();
            int r = s.offset("rate");
            out.add(decoding(PfIoctl.DIOCGETNSTATELIM, () -> new StateLimiter((int) got,
                    NativeBytes.cString(b, s.offset("name"), PfiocLimiters.NAME_LEN),
                    NativeBytes.u32(b, s.offset("limit")),
                    NativeBytes.u32(b, r + rate.offset("limit")),
                    NativeBytes.u32(b, r + rate.offset("seconds")),
                    NativeBytes.u32(b, s.offset("inuse")),
                    NativeBytes.u64(b, s.offset("admitted")),
                    NativeBytes.u64(b, s.offset("hardlimited")),
                    NativeBytes.u64(b, s.offset("ratelimited")))));
            id = got + 1;
        }
        return out;
    }

    /** RBT_NFIND answers an id at or above the one asked, within the ids the kernel accepts. */
    private static long nextId(PfIoctl io, long got, long asked) throws PfIoctlException {
        if (got < asked || got > ID_MAX) {
            throw PfIoctlException.malformed(io.name(), "asked for the first limiter from id " + asked + ", got id " + got);
        }
        return got;
    }

    // ---- source limiters and their address entries ----

    /** A limiter disappeared between listing it and walking its entries (ESRCH). */
    private static final class LimiterGone extends Exception {
        private static final long serialVersionUID = 1L;

        LimiterGone() {
            super("source limiter gone", null, false, false);
        }
    }

    /**
     * Every source limiter, by id, with its address entries counted and the {@code top} entries
     * holding the most states kept. A limiter that vanishes mid-walk (a ruleset reload) starts the
     * whole read over, at most {@code busyAttempts} times.
     */
    public List<SourceLimiter> readSourceLimiters(int top) throws PfIoctlException {
        if (top < 0) {
            throw new IllegalArgumentException("top must be at least 0, got " + top);
        }
        for (int attempt = 0; attempt < busyAttempts; attempt++) {
            try {
                return sourceLimiters(top);
            } catch (LimiterGone e) {
                // the next attempt lists the limiters again
            }
        }
        throw PfIoctlException.busy(PfIoctl.DIOCGETNSOURCE.name(), busyAttempts);
    }

    private List<SourceLimiter> sourceLimiters(int top) throws PfIoctlException, LimiterGone {
        CStruct s = abi.struct("pfioc_sourcelim");
        CStruct rate = (CStruct) s.field("rate").type();
        List<SourceLimiter> out = new ArrayList<>();
        long id = ID_MIN;
        while (id <= ID_MAX) {
            ByteBuffer b = NativeBytes.allocate(s.size());
            NativeBytes.putU32(b, s.offset("id"), id);
            int errno = call(PfIoctl.DIOCGETNSOURCELIM, b);
            if (errno == Errno.ESRCH) {
                break;
            }
            if (errno != 0) {
                throw failure(PfIoctl.DIOCGETNSOURCELIM, errno);
            }
            long got = nextId(PfIoctl.DIOCGETNSOURCELIM, NativeBytes.u32(b, s.offset("id")), id);
            SourceEntries entries = sources(got, top);
            int r = s.offset("rate");
            out.add(decoding(PfIoctl.DIOCGETNSOURCELIM, () -> new SourceLimiter((int) got,
                    NativeBytes.cString(b, s.offset("name"), PfiocLimiters.NAME_LEN),
                    NativeBytes.u32(b, s.offset("entries")),
                    NativeBytes.u32(b, s.offset("limit")),
                    NativeBytes.u32(b, r + rate.offset("limit")),
                    NativeBytes.u32(b, r + rate.offset("seconds")),
                    NativeBytes.cString(b, s.offset("overload_tblname"), PfConstants.PF_TABLE_NAME_SIZE),
                    NativeBytes.u32(b, s.offset("overload_hwm")),
                    NativeBytes.u32(b, s.offset("overload_lwm")),
                    NativeBytes.u32(b, s.offset("inet_prefix")),
                    NativeBytes.u32(b, s.offset("inet6_prefix")),
                    NativeBytes.u32(b, s.offset("nentries")),
                    NativeBytes.u32(b, s.offset("inuse")),
                    NativeBytes.u64(b, s.offset("addrallocs")),
                    NativeBytes.u64(b, s.offset("addrnomem")),
                    NativeBytes.u64(b, s.offset("admitted")),
                    NativeBytes.u64(b, s.offset("addrlimited")),
                    NativeBytes.u64(b, s.offset("hardlimited")),
                    NativeBytes.u64(b, s.offset("ratelimited")),
                    entries)));
            id = got + 1;
        }
        return out;
    }

    private record Ranked(SourceEntry entry, long seq) {
    }

    /** Most states first, then most admitted, then kernel order. */
    private static final Comparator<Ranked> WORST_FIRST = Comparator
            .comparing((Ranked r) -> r.entry().inuse(), Long::compareUnsigned)
            .thenComparing(r -> r.entry().admitted(), Long::compareUnsigned)
            .thenComparing(Ranked::seq, Comparator.reverseOrder());

    private SourceEntries sources(long id, int top) throws PfIoctlException, LimiterGone {
        CStruct s = abi.struct("pfioc_source");
        CStruct e = abi.struct("pfioc_source_entry");
        int esize = e.size();
        ByteBuffer key = NativeBytes.allocate(esize);     // af 0, rdomain 0, address 0: the first entry
        PriorityQueue<Ranked> kept = new PriorityQueue<>(Math.max(1, top + 1), WORST_FIRST);
        long count = 0;
        byte[] previous = null;
        while (true) {
            ByteBuffer b = NativeBytes.allocate(s.size());
            NativeBytes.putU32(b, s.offset("id"), id);
            NativeBytes.putU64(b, s.offset("entry_size"), esize);
            NativeBytes.putU64(b, s.offset("entrieslen"), (long) batch * esize);
            ByteBuffer entries = NativeBytes.allocate(batch * esize);
            byte[] asked = keyBytes(key, e);
            int errno = call(PfIoctl.DIOCGETNSOURCE, b, new IoctlCall.Pointee("key", s.offset("key"), key),
                    new IoctlCall.Pointee("entries", s.offset("entries"), entries));
            if (errno == Errno.ENOENT) {
                break;
            }
            if (errno == Errno.ESRCH) {
                throw new LimiterGone();
            }
            if (errno == Errno.EINVAL) {
                throw PfIoctlException.abiMismatch("DIOCGETNSOURCE", errno, abi.release(),
                        "the kernel refused entry_size " + esize + " (EINVAL)");
            }
            if (errno != 0) {
                throw failure(PfIoctl.DIOCGETNSOURCE, errno);
            }
            long len = NativeBytes.u64(b, s.offset("entrieslen"));
            if (len <= 0 || len > (long) batch * esize || len % esize != 0) {
                throw PfIoctlException.malformed("DIOCGETNSOURCE", "entrieslen " + Long.toUnsignedString(len)
                        + " is not 1 to " + batch + " entries of " + esize + " bytes");
            }
            int n = (int) (len / esize);
            for (int i = 0; i < n; i++) {
                int base = i * esize;
                byte[] k = entryKey(entries, base, e);
                byte[] floor = previous == null ? asked : previous;
                if (previous == null ? compare(k, floor) < 0 : compare(k, floor) <= 0) {
                    throw PfIoctlException.malformed("DIOCGETNSOURCE", "entries of source limiter " + id
                            + " are not in ascending (af, rdomain, address) order");
                }
                previous = k;
                if (++count > MAX_SOURCES) {
                    throw PfIoctlException.malformed("DIOCGETNSOURCE", "more than " + MAX_SOURCES
                            + " address entries in source limiter " + id);
                }
                if (top > 0) {
                    SourceEntry se = decoding(PfIoctl.DIOCGETNSOURCE, () -> entry(entries, base, e));
                    kept.add(new Ranked(se, count));
                    if (kept.size() > top) {
                        kept.poll();
                    }
                } else {
                    decoding(PfIoctl.DIOCGETNSOURCE, () -> entry(entries, base, e));   // still validated
                }
            }
            byte[] next = successor(previous);
            if (next == null) {
                break;      // the very last key there can be
            }
            key = NativeBytes.allocate(esize);
            NativeBytes.putU8(key, e.offset("af"), next[0] & 0xff);
            NativeBytes.putU32(key, e.offset("rdomain"), readU32(next, 1));
            key.put(e.offset("addr"), next, 5, 16);
        }
        List<Ranked> ranked = new ArrayList<>(kept);
        ranked.sort(WORST_FIRST.reversed());
        return new SourceEntries(count, ranked.stream().map(Ranked::entry).toList(), top);
    }

    /** (af, rdomain big-endian, 16 address bytes): compares as the kernel's pf_source_ioc_cmp(). */
    public static byte[] entryKey(ByteBuffer b, int base, CStruct e) {
        byte[] k = new byte[21];
        k[0] = b.get(base + e.offset("af"));
        long rd = NativeBytes.u32(b, base + e.offset("rdomain"));
        k[1] = (byte) (rd >>> 24);
        k[2] = (byte) (rd >>> 16);
        k[3] = (byte) (rd >>> 8);
        k[4] = (byte) rd;
        b.get(base + e.offset("addr"), k, 5, 16);
        return k;
    }

    private static byte[] keyBytes(ByteBuffer key, CStruct e) {
        return entryKey(key, 0, e);
    }

    private static long readU32(byte[] k, int at) {
        return (k[at] & 0xffL) << 24 | (k[at + 1] & 0xffL) << 16 | (k[at + 2] & 0xffL) << 8 | (k[at + 3] & 0xffL);
    }

    static int compare(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b);
    }

    /** The smallest key above {@code k}: the address plus one, carrying into rdomain and then af; null past the end. */
    static byte[] successor(byte[] k) {
        byte[] n = k.clone();
        for (int i = n.length - 1; i >= 0; i--) {
            n[i]++;
            if (n[i] != 0) {
                return n;
            }
        }
        return null;
    }

    private static SourceEntry entry(ByteBuffer b, int base, CStruct e) {
        int af = NativeBytes.u8(b, base + e.offset("af"));
        AddressFamily family;
        if (af == AF_INET) {
            family = AddressFamily.INET;
        } else if (af == AF_INET6) {
            family = AddressFamily.INET6;
        } else {
            throw new MalformedAnswerException("address entry with address family " + af + ", neither AF_INET nor AF_INET6");
        }
        byte[] addr = new byte[16];
        b.get(base + e.offset("addr"), addr);
        return new SourceEntry(family, NativeBytes.u32(b, base + e.offset("rdomain")), InetText.format(family, addr),
                NativeBytes.u32(b, base + e.offset("inuse")),
                NativeBytes.u64(b, base + e.offset("admitted")),
                NativeBytes.u64(b, base + e.offset("hardlimited")),
                NativeBytes.u64(b, base + e.offset("ratelimited")));
    }
}
