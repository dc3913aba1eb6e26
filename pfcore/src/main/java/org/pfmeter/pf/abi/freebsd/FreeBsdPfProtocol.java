package org.pfmeter.pf.abi.freebsd;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfIoctlException;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.model.TrafficCounters;

/**
 * The binary ioctls pfmeter sends to FreeBSD's /dev/pf next to netlink, each written once in
 * pfctl's shape (validate, zero, fill, call, copy back): DIOCIGETIFACES with pfctl's buffer growth,
 * the ALTQ walk (DIOCGETALTQSV1, DIOCGETALTQV1, DIOCGETQSTATSV1 as pfctl_qstats.c does it) and
 * DIOCRGETTSTATS for kernels whose netlink family lacks PFNL_CMD_GET_TSTATS. Tickets stay here.
 */
public final class FreeBsdPfProtocol {

    // FreeBSD errnos these ioctls answer with (sys/errno.h; the same numbers as OpenBSD's)
    public static final int EPERM = 1;
    public static final int ENXIO = 6;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    /** pfioctl()'s answer to a request it does not know (a kernel without ALTQ compiles the ALTQ cases out) and to a wrong element size. */
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;

    /** First DIOCIGETIFACES/DIOCRGETTSTATS capacity; grown to what the kernel reports. */
    static final int INITIAL_CAPACITY = 64;
    /** pf_ioctl_maxcount's default (65535): the kernel refuses larger element counts with EINVAL. */
    public static final int MAX_COUNT = 65535;
    /** Refuse an ALTQ list announcing more entries than this. */
    static final long MAX_ALTQS = 1 << 16;

    private final PfDevice device;
    private final int busyAttempts;

    public FreeBsdPfProtocol(PfDevice device, int busyAttempts) {
        if (busyAttempts < 1) {
            throw new IllegalArgumentException("busyAttempts must be at least 1, got " + busyAttempts);
        }
        this.device = device;
        this.busyAttempts = busyAttempts;
    }

    private static ByteBuffer arg(FreeBsdIoctl io) {
        return NativeBytes.allocate(io.argument().size());
    }

    private int call(FreeBsdIoctl io, ByteBuffer arg, IoctlCall.Pointee... pointees) {
        return device.ioctl(new IoctlCall(io.name(), io.request(), arg, List.of(pointees)));
    }

    /** An errno as pfmeter's error kinds name it, with what to do about it on FreeBSD. */
    public static PfIoctlException error(String ioctl, int errno) {
        String name = errnoName(errno);
        PfError.Kind kind;
        String advice;
        switch (errno) {
            case EPERM, EACCES -> {
                kind = PfError.Kind.PERMISSION;
                advice = "/dev/pf must be opened by root (FreeBSD checks the pf privilege when the device is "
                        + "opened; see --pf-fd to keep a descriptor across the privilege drop)";
            }
            case ENODEV -> {
                kind = PfError.Kind.ABI_MISMATCH;
                advice = "the kernel did not accept the request or its element size (pfmeter sends FreeBSD's amd64 "
                        + "layouts: struct pfi_kif " + FreeBsdKif.SIZE + " bytes, struct pfr_tstats " + FreeBsdTstats.SIZE
                        + " bytes, struct pfioc_altq_v1 " + FreeBsdStructs.PFIOC_ALTQ_V1.size() + " bytes)";
            }
            case EBUSY -> {
                kind = PfError.Kind.BUSY;
                advice = "the ALTQ configuration kept changing while it was read; the next poll tries again";
            }
            default -> {
                kind = PfError.Kind.OTHER;
                advice = "unexpected answer from pf";
            }
        }
        return new PfIoctlException(new PfError(kind, ioctl, errno, name, ioctl + " failed with " + name + ": " + advice));
    }

    static String errnoName(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENXIO -> "ENXIO";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            default -> "errno " + errno;
        };
    }

    private static <T> T decoding(FreeBsdIoctl io, java.util.function.Supplier<T> decode) throws PfIoctlException {
        try {
            return decode.get();
        } catch (MalformedAnswerException e) {
            throw PfIoctlException.malformed(io.name(), e.getMessage());
        }
    }

    // ---- interfaces ----

    /**
     * Every kif, groups with their members' counters added up (the kernel counts only on interfaces).
     * FreeBSD copies out neither {@code pfik_group} nor {@code pfik_ifp}, so a group is what
     * pfi_skip_if() makes of a filter: a name not ending in a digit whose filter returns other kifs
     * (its member interfaces). A group without members reads as an interface with zero counters.
     * FreeBSD keeps no per-kif state count: {@code statesCounted} is false and {@code rules} is
     * {@code pfik_rulerefs}.
     */
    public List<InterfaceCounters> readInterfaces() throws PfIoctlException {
        List<FreeBsdKif> kifs = ifaces("");
        Map<String, FreeBsdKif> byName = new LinkedHashMap<>();
        for (FreeBsdKif k : kifs) {
            byName.put(k.name(), k);
        }
        List<InterfaceCounters> out = new ArrayList<>(kifs.size());
        for (FreeBsdKif k : kifs) {
            List<String> members = new ArrayList<>();
            TrafficCounters sum = k.counters();
            if (mayBeGroup(k.name())) {
                for (FreeBsdKif m : ifaces(k.name())) {
                    if (!m.name().equals(k.name()) && byName.containsKey(m.name())) {
                        members.add(m.name());
                        sum = sum.plus(byName.get(m.name()).counters());
                    }
                }
            }
            boolean group = !members.isEmpty() || k.groupPointer();
            out.add(new InterfaceCounters(k.name(), group, members, k.flags(), k.tzero(), 0, k.rulerefs(),
                    group ? sum : k.counters(), false));
        }
        return out;
    }

    /** pfi_skip_if(): only a filter not ending in a digit matches a group's members. */
    static boolean mayBeGroup(String name) {
        return !name.isEmpty() && !Character.isDigit(name.charAt(name.length() - 1));
    }

    /**
     * pfi_get_ifaces() counts every matching kif and fills at most the capacity: an answer above the
     * capacity (capacity + 1 once the list is longer) means "grow", and pfctl grows to that size.
     */
    private List<FreeBsdKif> ifaces(String filter) throws PfIoctlException {
        FreeBsdIoctl io = FreeBsdIoctl.DIOCIGETIFACES;
        var s = io.argument();
        int capacity = INITIAL_CAPACITY;
        while (true) {
            ByteBuffer b = arg(io);
            NativeBytes.putCString(b, s.offset("pfiio_name"), FreeBsdStructs.IFNAMSIZ, filter);
            b.putInt(s.offset("pfiio_esize"), FreeBsdKif.SIZE);
            b.putInt(s.offset("pfiio_size"), capacity);
            ByteBuffer buf = NativeBytes.allocate(FreeBsdKif.SIZE * capacity);
            int errno = call(io, b, new IoctlCall.Pointee("pfiio_buffer", s.offset("pfiio_buffer"), buf));
            if (errno != 0) {
                throw error(io.name(), errno);
            }
            int n = b.getInt(s.offset("pfiio_size"));
            if (n < 0) {
                throw PfIoctlException.malformed(io.name(), "pfiio_size " + n);
            }
            if (n <= capacity) {
                List<FreeBsdKif> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int base = i * FreeBsdKif.SIZE;
                    list.add(decoding(io, () -> FreeBsdKif.decode(buf, base)));
                }
                return list;
            }
            if (capacity >= MAX_COUNT) {
                throw PfIoctlException.malformed(io.name(), "more than " + MAX_COUNT + " interfaces");
            }
            capacity = (int) Math.min(MAX_COUNT, Math.max((long) n, 2L * capacity));
        }
    }

    // ---- ALTQ ----

    /**
     * The ALTQ queues with their statistics, or empty when the kernel has no ALTQ (built without
     * {@code options ALTQ}, pfioctl() answers DIOCGETALTQSV1 with ENODEV; pfctl then says "No ALTQ
     * support in kernel"). A ticket gone stale (EBUSY: the queues were reloaded) starts the walk over.
     */
    public Optional<List<QueueStats>> readQueues() throws PfIoctlException {
        FreeBsdIoctl all = FreeBsdIoctl.DIOCGETALTQSV1;
        var pa = all.argument();
        for (int attempt = 0; attempt < busyAttempts; attempt++) {
            ByteBuffer a = arg(all);
            NativeBytes.putU32(a, pa.offset("version"), FreeBsdAltq.PFIOC_ALTQ_VERSION);
            int errno = call(all, a);
            if (errno == ENODEV) {
                return Optional.empty();
            }
            if (errno != 0) {
                throw error(all.name(), errno);
            }
            long ticket = NativeBytes.u32(a, pa.offset("ticket"));
            long n = NativeBytes.u32(a, pa.offset("nr"));
            if (n > MAX_ALTQS) {
                throw PfIoctlException.malformed(all.name(), n + " ALTQ entries");
            }
            List<QueueStats> out = walk(ticket, n);
            if (out != null) {
                return Optional.of(out);
            }
        }
        throw PfIoctlException.busy(FreeBsdIoctl.DIOCGETALTQV1.name(), busyAttempts);
    }

    /** One pass over the entries; null when the ticket went stale. */
    private List<QueueStats> walk(long ticket, long n) throws PfIoctlException {
        FreeBsdIoctl one = FreeBsdIoctl.DIOCGETALTQV1;
        FreeBsdIoctl stats = FreeBsdIoctl.DIOCGETQSTATSV1;
        var pa = one.argument();
        var pq = stats.argument();
        int size = FreeBsdAltq.statsBufferSize();
        List<QueueStats> out = new ArrayList<>();
        for (long nr = 0; nr < n; nr++) {
            ByteBuffer a = arg(one);
            NativeBytes.putU32(a, pa.offset("ticket"), ticket);
            NativeBytes.putU32(a, pa.offset("nr"), nr);
            NativeBytes.putU32(a, pa.offset("version"), FreeBsdAltq.PFIOC_ALTQ_VERSION);
            int errno = call(one, a);
            if (errno == EBUSY) {
                return null;
            }
            if (errno != 0) {
                throw error(one.name(), errno);
            }
            FreeBsdAltq q = decoding(one, () -> FreeBsdAltq.decode(a));
            if (!q.hasStats()) {
                continue;                       // an interface's root entry, or one whose interface is gone
            }
            if (FreeBsdAltq.statsLayout(q.scheduler()).isEmpty()) {
                throw PfIoctlException.malformed(one.name(), "scheduler " + q.scheduler() + " of queue \"" + q.qname()
                        + "\" is none of FreeBSD's (CBQ 1, HFSC 8, PRIQ 11, FAIRQ 13, CODEL 14)");
            }
            ByteBuffer s = arg(stats);
            NativeBytes.putU32(s, pq.offset("ticket"), ticket);
            NativeBytes.putU32(s, pq.offset("nr"), nr);
            s.putInt(pq.offset("nbytes"), size);
            NativeBytes.putU32(s, pq.offset("version"), FreeBsdAltq.statsVersion(q.scheduler()));
            ByteBuffer buf = NativeBytes.allocate(size);
            errno = call(stats, s, new IoctlCall.Pointee("buf", pq.offset("buf"), buf));
            if (errno == EBUSY) {
                return null;
            }
            if (errno == ENXIO) {
                continue;                       // the interface went away between the two calls
            }
            if (errno != 0) {
                throw error(stats.name(), errno);
            }
            int scheduler = NativeBytes.u8(s, pq.offset("scheduler"));
            if (scheduler != q.scheduler()) {
                throw PfIoctlException.malformed(stats.name(), "statistics of scheduler " + scheduler
                        + " for an entry of scheduler " + q.scheduler());
            }
            int nbytes = s.getInt(pq.offset("nbytes"));
            FreeBsdAltq.ClassStats c = decoding(stats, () -> FreeBsdAltq.decodeStats(scheduler, buf, nbytes));
            out.add(q.toModel(c));
        }
        return out;
    }

    // ---- tables ----

    /**
     * DIOCRGETTSTATS over every ruleset ({@code PFR_FLAG_ALLRSETS}): pfr_get_tstats() writes nothing
     * and reports the table count when it exceeds the capacity, so the buffer grows to that count.
     */
    public List<TableStats> readTables() throws PfIoctlException {
        FreeBsdIoctl io = FreeBsdIoctl.DIOCRGETTSTATS;
        var s = io.argument();
        int capacity = INITIAL_CAPACITY;
        while (true) {
            ByteBuffer b = arg(io);
            b.putInt(s.offset("pfrio_esize"), FreeBsdTstats.SIZE);
            b.putInt(s.offset("pfrio_size"), capacity);
            b.putInt(s.offset("pfrio_flags"), FreeBsdStructs.PFR_FLAG_ALLRSETS);
            ByteBuffer buf = NativeBytes.allocate(FreeBsdTstats.SIZE * capacity);
            int errno = call(io, b, new IoctlCall.Pointee("pfrio_buffer", s.offset("pfrio_buffer"), buf));
            if (errno != 0) {
                throw error(io.name(), errno);
            }
            int n = b.getInt(s.offset("pfrio_size"));
            if (n < 0) {
                throw PfIoctlException.malformed(io.name(), "pfrio_size " + n);
            }
            if (n <= capacity) {
                List<TableStats> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int base = i * FreeBsdTstats.SIZE;
                    list.add(decoding(io, () -> FreeBsdTstats.decode(buf, base)));
                }
                return list;
            }
            if (n > MAX_COUNT) {
                throw PfIoctlException.malformed(io.name(), n + " tables (more than " + MAX_COUNT + ")");
            }
            capacity = n;
        }
    }
}
