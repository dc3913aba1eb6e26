package org.pfmeter.pf.sim.freebsd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.freebsd.FreeBsdAltq;
import org.pfmeter.pf.abi.freebsd.FreeBsdIoctl;
import org.pfmeter.pf.abi.freebsd.FreeBsdKif;
import org.pfmeter.pf.abi.freebsd.FreeBsdPfProtocol;
import org.pfmeter.pf.abi.freebsd.FreeBsdStructs;
import org.pfmeter.pf.abi.freebsd.FreeBsdTstats;
import org.pfmeter.pf.model.TableStats;

/**
 * The kernel side of FreeBSD's binary pf ioctls, byte for byte as pfioctl() answers them:
 * DIOCIGETIFACES (pfi_get_ifaces(): counts every kif the filter matches, fills at most the capacity
 * and reports capacity + 1 when the list is longer; pfi_skip_if()'s group filter; the whole
 * capacity is copied out), DIOCGETALTQSV1 / DIOCGETALTQV1 / DIOCGETQSTATSV1 (ticket checks with
 * EBUSY, ENXIO for an entry whose interface is gone, EINVAL for a root entry or a short buffer;
 * ENODEV for all three on a kernel without ALTQ, whose pfioctl() has no such cases) and
 * DIOCRGETTSTATS (pfr_get_tstats(): nothing written and the count reported when it exceeds the
 * capacity, though copyout() still copies the capacity's worth of the unzeroed kernel buffer). The
 * kernel buffers are mallocarray(…, M_NOWAIT), not zeroed: what lies past the entries written is
 * junk here too. A kif's {@code pfik_flags} are copied out, as pfctl's print_iface() expects
 * (pf_if.c 051f0103's pf_kkif_to_kif() leaves them 0). Any other request answers ENODEV,
 * pfioctl()'s default. Not simulated: HFSC
 * statistics version 0 (answered EINVAL), and the time stamp the kernel puts on a kif never read before.
 */
public final class FreeBsdSimIoctl implements PfDevice {

    private static final int ENOENT = 2;

    private final FreeBsdSimIoctlKernel kernel;
    private final String release;
    /** What an unzeroed kernel buffer (mallocarray(…, M_NOWAIT)) holds, deterministic. */
    private final SplittableRandom junk;

    /** @param release what {@code uname -r} says, e.g. "15.0-RELEASE" */
    public FreeBsdSimIoctl(FreeBsdSimIoctlKernel kernel, String release) {
        this.kernel = kernel;
        this.release = release;
        this.junk = new SplittableRandom(0x6a756e6bL ^ release.hashCode());
    }

    private void junk(ByteBuffer b, int from, int to) {
        for (int i = from; i < to; i++) {
            b.put(i, (byte) junk.nextInt(256));
        }
    }

    @Override
    public synchronized int ioctl(IoctlCall call) {
        Optional<FreeBsdIoctl> io = FreeBsdIoctl.of(call.request());
        if (io.isEmpty()) {
            return FreeBsdPfProtocol.ENODEV;
        }
        ByteBuffer a = call.argument().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (a.capacity() != io.get().argument().size()) {
            return FreeBsdPfProtocol.EFAULT;        // sys_ioctl() copies exactly IOCPARM_LEN(request) bytes
        }
        try {
            return switch (io.get()) {
                case DIOCIGETIFACES -> getIfaces(a, call);
                case DIOCGETALTQSV1 -> getAltqs(a);
                case DIOCGETALTQV1 -> getAltq(a);
                case DIOCGETQSTATSV1 -> getQstats(a, call);
                case DIOCRGETTSTATS -> getTstats(a, call);
            };
        } catch (FreeBsdSimIoctlKernel.Refused e) {
            return e.errno();
        }
    }

    private static ByteBuffer le(ByteBuffer b) {
        return b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    // ---- DIOCIGETIFACES ----

    /** pfi_skip_if(): the filter is an exact name, or a group name (not ending in a digit) for its member interfaces. */
    static boolean skip(String filter, FreeBsdSimIoctlKernel.Kif k) {
        if (filter.isEmpty() || k.name().equals(filter)) {
            return false;
        }
        int n = filter.length();
        if (n >= FreeBsdStructs.IFNAMSIZ || Character.isDigit(filter.charAt(n - 1))) {
            return true;
        }
        return k.group() || !k.groups().contains(filter);      // a group kif has no ifp, so no groups
    }

    private int getIfaces(ByteBuffer a, IoctlCall call) {
        CStruct s = FreeBsdStructs.PFIOC_IFACE;
        if (a.getInt(s.offset("pfiio_esize")) != FreeBsdKif.SIZE) {
            return FreeBsdPfProtocol.ENODEV;
        }
        int capacity = a.getInt(s.offset("pfiio_size"));
        if (capacity < 0 || capacity > FreeBsdPfProtocol.MAX_COUNT) {
            return FreeBsdPfProtocol.EINVAL;
        }
        String filter = NativeBytes.cString(a, s.offset("pfiio_name"), FreeBsdStructs.IFNAMSIZ);
        ByteBuffer store = NativeBytes.allocate(capacity * FreeBsdKif.SIZE);     // mallocarray(…, M_NOWAIT)
        int n = 0;
        for (FreeBsdSimIoctlKernel.Kif k : kernel.kifs()) {
            if (skip(filter, k)) {
                continue;
            }
            if (capacity <= n++) {
                break;
            }
            new FreeBsdKif(k.name(), k.flags(), k.tzero(), k.rulerefs(), k.counters(), false)
                    .encode(store, (n - 1) * FreeBsdKif.SIZE);
        }
        junk(store, Math.min(n, capacity) * FreeBsdKif.SIZE, store.capacity());
        if (capacity > 0) {
            Optional<ByteBuffer> buf = call.pointee(s.offset("pfiio_buffer"));
            if (buf.isEmpty() || buf.get().capacity() < store.capacity()) {
                return FreeBsdPfProtocol.EFAULT;
            }
            le(buf.get()).put(0, store, 0, store.capacity());
        }
        a.putInt(s.offset("pfiio_size"), n);
        return 0;
    }

    // ---- ALTQ ----

    private List<FreeBsdSimIoctlKernel.Altq> altqsOrNull() {
        return kernel.altqs().orElse(null);
    }

    private int getAltqs(ByteBuffer a) {
        List<FreeBsdSimIoctlKernel.Altq> l = altqsOrNull();
        if (l == null) {
            return FreeBsdPfProtocol.ENODEV;
        }
        CStruct s = FreeBsdStructs.PFIOC_ALTQ_V1;
        NativeBytes.putU32(a, s.offset("nr"), l.size());
        NativeBytes.putU32(a, s.offset("ticket"), kernel.altqTicket());
        return 0;
    }

    private int getAltq(ByteBuffer a) {
        List<FreeBsdSimIoctlKernel.Altq> l = altqsOrNull();
        if (l == null) {
            return FreeBsdPfProtocol.ENODEV;
        }
        CStruct s = FreeBsdStructs.PFIOC_ALTQ_V1;
        long nr = NativeBytes.u32(a, s.offset("nr"));
        if (NativeBytes.u32(a, s.offset("ticket")) != kernel.altqTicket() || nr >= l.size()) {
            return FreeBsdPfProtocol.EBUSY;
        }
        l.get((int) nr).entry().encode(a);
        return 0;
    }

    private int getQstats(ByteBuffer a, IoctlCall call) {
        List<FreeBsdSimIoctlKernel.Altq> l = altqsOrNull();
        if (l == null) {
            return FreeBsdPfProtocol.ENODEV;
        }
        CStruct s = FreeBsdStructs.PFIOC_QSTATS_V1;
        long nr = NativeBytes.u32(a, s.offset("nr"));
        if (NativeBytes.u32(a, s.offset("ticket")) != kernel.altqTicket() || nr >= l.size()) {
            return FreeBsdPfProtocol.EBUSY;
        }
        FreeBsdSimIoctlKernel.Altq q = l.get((int) nr);
        FreeBsdAltq e = q.entry();
        if ((e.localFlags() & FreeBsdAltq.PFALTQ_FLAG_IF_REMOVED) != 0) {
            return FreeBsdPfProtocol.ENXIO;
        }
        // the scheduler looks the class up by qid (clh_to_clp): a root entry has none, except CoDel's
        if (q.stats() == null || (e.qid() == 0 && e.scheduler() != FreeBsdAltq.ALTQT_CODEL)) {
            return FreeBsdPfProtocol.EINVAL;
        }
        long version = NativeBytes.u32(a, s.offset("version"));
        if (version != FreeBsdAltq.statsVersion(e.scheduler())) {
            return FreeBsdPfProtocol.EINVAL;
        }
        CStruct layout = FreeBsdAltq.statsLayout(e.scheduler()).orElseThrow();
        if (a.getInt(s.offset("nbytes")) < layout.size()) {
            return FreeBsdPfProtocol.EINVAL;
        }
        Optional<ByteBuffer> buf = call.pointee(s.offset("buf"));
        if (buf.isEmpty() || buf.get().capacity() < layout.size()) {
            return FreeBsdPfProtocol.EFAULT;
        }
        int nbytes = FreeBsdAltq.encodeStats(e.scheduler(), q.stats(), e.qid(), le(buf.get()));
        NativeBytes.putU8(a, s.offset("scheduler"), e.scheduler());
        a.putInt(s.offset("nbytes"), nbytes);
        return 0;
    }

    // ---- DIOCRGETTSTATS ----

    /**
     * pfioctl(): {@code size = min(size, pfr_table_count())}, then pfr_get_tstats() (ENOENT for an
     * unknown ruleset; the count, and nothing written, when it exceeds {@code size}), then copyout()
     * of {@code size} elements of the kernel's buffer whatever was written into it.
     */
    private int getTstats(ByteBuffer a, IoctlCall call) {
        CStruct s = FreeBsdStructs.PFIOC_TABLE;
        if (a.getInt(s.offset("pfrio_esize")) != FreeBsdTstats.SIZE) {
            return FreeBsdPfProtocol.ENODEV;
        }
        boolean all = (a.getInt(s.offset("pfrio_flags")) & FreeBsdStructs.PFR_FLAG_ALLRSETS) != 0;
        String anchor = NativeBytes.cString(a, s.offset("pfrio_table", "pfrt_anchor"), FreeBsdStructs.MAXPATHLEN);
        List<TableStats> tables = kernel.tables().stream().filter(t -> all || t.anchor().equals(anchor)).toList();
        if (!all && !anchor.isEmpty() && tables.isEmpty()
                && kernel.tables().stream().noneMatch(t -> t.anchor().startsWith(anchor + "/"))) {
            return ENOENT;                          // pfr_table_count(): no such ruleset
        }
        int size = (int) Math.min(Integer.toUnsignedLong(a.getInt(s.offset("pfrio_size"))), tables.size());
        ByteBuffer store = NativeBytes.allocate(size * FreeBsdTstats.SIZE);
        junk(store, 0, store.capacity());
        if (tables.size() > size) {
            a.putInt(s.offset("pfrio_size"), tables.size());
        } else {
            for (int i = 0; i < tables.size(); i++) {
                FreeBsdTstats.encode(tables.get(i), store, i * FreeBsdTstats.SIZE);
            }
            a.putInt(s.offset("pfrio_size"), tables.size());
        }
        if (size > 0) {
            Optional<ByteBuffer> buf = call.pointee(s.offset("pfrio_buffer"));
            if (buf.isEmpty() || buf.get().capacity() < store.capacity()) {
                return FreeBsdPfProtocol.EFAULT;
            }
            le(buf.get()).put(0, store, 0, store.capacity());
        }
        return 0;
    }

    @Override
    public String kernelRelease() {
        return release;
    }

    @Override
    public String describe() {
        return "simulated FreeBSD /dev/pf (" + release + ")";
    }

    @Override
    public void close() {
    }
}
