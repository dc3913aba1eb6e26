package org.pfmeter.pf.abi.freebsd;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.model.QueueStats;

/**
 * One ALTQ entry as DIOCGETALTQV1 fills {@code struct pfioc_altq_v1}'s {@code altq} member
 * (pf_export_kaltq), and the scheduler's class statistics DIOCGETQSTATSV1 copies into the caller's
 * buffer. The active list holds first one entry per interface (the discipline's root: {@code qid} 0,
 * no queue name) and then the queues; pfctl (pfctl_qstats.c) asks for statistics only of entries
 * with {@code qid > 0}, or of a CoDel interface entry (CoDel has no classes), and skips entries whose
 * interface went away ({@code PFALTQ_FLAG_IF_REMOVED}).
 *
 * @param schedulerFlags the {@code flags} of the scheduler's options ({@code pq_u.*_opts.flags}), 0 for CoDel
 */
public record FreeBsdAltq(String ifname, int scheduler, long tbrsize, long ifbandwidth, String qname, String parent,
        long parentQid, long bandwidth, int priority, int localFlags, int qlimit, int flags, int schedulerFlags, long qid) {

    // altq.h: discipline types
    public static final int ALTQT_CBQ = 1;
    public static final int ALTQT_HFSC = 8;
    public static final int ALTQT_PRIQ = 11;
    public static final int ALTQT_FAIRQ = 13;
    public static final int ALTQT_CODEL = 14;
    /** pfvar.h {@code PFIOC_ALTQ_VERSION} (= {@code PF_ALTQ_VERSION}): the pf_altq layout asked for. */
    public static final int PFIOC_ALTQ_VERSION = 1;
    /** altq.h {@code HFSC_STATS_VERSION}: hfsc_classstats_v1 (64-bit service curves); the others are 0. */
    public static final int HFSC_STATS_VERSION = 1;
    public static final int PFALTQ_FLAG_IF_REMOVED = 0x01;
    /** HFCF_DEFAULTCLASS, PRCF_DEFAULTCLASS and FARF_DEFAULTCLASS. */
    public static final int DEFAULTCLASS = 0x1000;
    /** CBQCLF_DEFCLASS. */
    public static final int CBQCLF_DEFCLASS = 0x2000;

    private static final CStruct ARG = FreeBsdStructs.PFIOC_ALTQ_V1;
    private static final int Q = ARG.offset("altq");
    private static final CStruct A = FreeBsdStructs.PF_ALTQ_V1;

    /** What each scheduler's class statistics hold in common. */
    public record ClassStats(long xmitPackets, long xmitBytes, long dropPackets, long dropBytes, long qlength, long qlimit) {
    }

    /** altq.h's altq_stats_version(): the statistics version pfctl asks each scheduler for. */
    public static int statsVersion(int scheduler) {
        return scheduler == ALTQT_HFSC ? HFSC_STATS_VERSION : 0;
    }

    /** The statistics struct a scheduler's getqstats() copies out, for the version pfmeter asks for. */
    public static Optional<CStruct> statsLayout(int scheduler) {
        return Optional.ofNullable(switch (scheduler) {
            case ALTQT_CBQ -> FreeBsdStructs.CLASS_STATS;
            case ALTQT_PRIQ -> FreeBsdStructs.PRIQ_CLASSSTATS;
            case ALTQT_HFSC -> FreeBsdStructs.HFSC_CLASSSTATS_V1;
            case ALTQT_FAIRQ -> FreeBsdStructs.FAIRQ_CLASSSTATS;
            case ALTQT_CODEL -> FreeBsdStructs.CODEL_IFSTATS;
            default -> null;
        });
    }

    /** pfctl's {@code union class_stats}: large enough for every scheduler's statistics (472 bytes). */
    public static int statsBufferSize() {
        int max = 0;
        for (int s : new int[] {ALTQT_CBQ, ALTQT_PRIQ, ALTQT_HFSC, ALTQT_FAIRQ, ALTQT_CODEL}) {
            max = Math.max(max, statsLayout(s).orElseThrow().size());
        }
        return max;
    }

    /** The pq_u member holding a scheduler's options, if it has flags there. */
    private static Optional<String> optionsMember(int scheduler) {
        return Optional.ofNullable(switch (scheduler) {
            case ALTQT_CBQ -> "cbq_opts";
            case ALTQT_PRIQ -> "priq_opts";
            case ALTQT_HFSC -> "hfsc_opts";
            case ALTQT_FAIRQ -> "fairq_opts";
            default -> null;
        });
    }

    private static int optionsFlags(int scheduler) {
        return optionsMember(scheduler).map(m -> Q + A.offset("pq_u", m, "flags")).orElse(-1);
    }

    /** Decodes the {@code altq} member of a pfioc_altq_v1 argument. */
    public static FreeBsdAltq decode(ByteBuffer arg) {
        int scheduler = NativeBytes.u8(arg, Q + A.offset("scheduler"));
        int flagsAt = optionsFlags(scheduler);
        return new FreeBsdAltq(
                NativeBytes.cString(arg, Q + A.offset("ifname"), FreeBsdStructs.IFNAMSIZ),
                scheduler,
                NativeBytes.u32(arg, Q + A.offset("tbrsize")),
                NativeBytes.u64(arg, Q + A.offset("ifbandwidth")),
                NativeBytes.cString(arg, Q + A.offset("qname"), FreeBsdStructs.PF_QNAME_SIZE),
                NativeBytes.cString(arg, Q + A.offset("parent"), FreeBsdStructs.PF_QNAME_SIZE),
                NativeBytes.u32(arg, Q + A.offset("parent_qid")),
                NativeBytes.u64(arg, Q + A.offset("bandwidth")),
                NativeBytes.u8(arg, Q + A.offset("priority")),
                NativeBytes.u8(arg, Q + A.offset("local_flags")),
                NativeBytes.u16(arg, Q + A.offset("qlimit")),
                NativeBytes.u16(arg, Q + A.offset("flags")),
                flagsAt < 0 ? 0 : NativeBytes.s32(arg, flagsAt),
                NativeBytes.u32(arg, Q + A.offset("qid")));
    }

    /** Writes this entry into a pfioc_altq_v1 argument as pf_export_kaltq() does (the list pointers stay 0). */
    public void encode(ByteBuffer arg) {
        for (int i = 0; i < A.size(); i++) {
            arg.put(Q + i, (byte) 0);
        }
        NativeBytes.putCString(arg, Q + A.offset("ifname"), FreeBsdStructs.IFNAMSIZ, ifname);
        NativeBytes.putU8(arg, Q + A.offset("scheduler"), scheduler);
        NativeBytes.putU32(arg, Q + A.offset("tbrsize"), tbrsize);
        NativeBytes.putU64(arg, Q + A.offset("ifbandwidth"), ifbandwidth);
        NativeBytes.putCString(arg, Q + A.offset("qname"), FreeBsdStructs.PF_QNAME_SIZE, qname);
        NativeBytes.putCString(arg, Q + A.offset("parent"), FreeBsdStructs.PF_QNAME_SIZE, parent);
        NativeBytes.putU32(arg, Q + A.offset("parent_qid"), parentQid);
        NativeBytes.putU64(arg, Q + A.offset("bandwidth"), bandwidth);
        NativeBytes.putU8(arg, Q + A.offset("priority"), priority);
        NativeBytes.putU8(arg, Q + A.offset("local_flags"), localFlags);
        arg.putShort(Q + A.offset("qlimit"), (short) qlimit);
        arg.putShort(Q + A.offset("flags"), (short) flags);
        int flagsAt = optionsFlags(scheduler);
        if (flagsAt >= 0) {
            NativeBytes.putU32(arg, flagsAt, schedulerFlags);
        }
        NativeBytes.putU32(arg, Q + A.offset("qid"), qid);
    }

    /** Whether pfctl reads statistics for this entry: a class, or a CoDel interface, still attached. */
    public boolean hasStats() {
        return (qid > 0 || scheduler == ALTQT_CODEL) && (localFlags & PFALTQ_FLAG_IF_REMOVED) == 0;
    }

    public boolean isDefault() {
        return (schedulerFlags & (scheduler == ALTQT_CBQ ? CBQCLF_DEFCLASS : DEFAULTCLASS)) != 0;
    }

    /** Reads the statistics the kernel wrote for {@code scheduler}; {@code nbytes} is what it said it wrote. */
    public static ClassStats decodeStats(int scheduler, ByteBuffer b, int nbytes) {
        CStruct s = statsLayout(scheduler).orElseThrow(() -> new MalformedAnswerException(
                "DIOCGETQSTATSV1 answered for scheduler " + scheduler + ", which FreeBSD's ALTQ does not have"));
        if (nbytes != s.size()) {
            throw new MalformedAnswerException("DIOCGETQSTATSV1 wrote " + nbytes + " bytes of statistics, struct "
                    + s.name() + " has " + s.size());
        }
        return switch (scheduler) {
            case ALTQT_CBQ -> new ClassStats(pkt(b, s, "xmit_cnt", 0), pkt(b, s, "xmit_cnt", 8), pkt(b, s, "drop_cnt", 0),
                    pkt(b, s, "drop_cnt", 8), NativeBytes.u32(b, s.offset("qcnt")), NativeBytes.u32(b, s.offset("qmax")));
            case ALTQT_PRIQ -> new ClassStats(pkt(b, s, "xmitcnt", 0), pkt(b, s, "xmitcnt", 8), pkt(b, s, "dropcnt", 0),
                    pkt(b, s, "dropcnt", 8), NativeBytes.u32(b, s.offset("qlength")), NativeBytes.u32(b, s.offset("qlimit")));
            // pfctl prints CoDel's drops as the class drops plus the CoDel algorithm's own drops
            case ALTQT_CODEL -> new ClassStats(pkt(b, s, "cl_xmitcnt", 0), pkt(b, s, "cl_xmitcnt", 8),
                    pkt(b, s, "cl_dropcnt", 0) + NativeBytes.u64(b, s.offset("stats", "drop_cnt", "packets")),
                    pkt(b, s, "cl_dropcnt", 8) + NativeBytes.u64(b, s.offset("stats", "drop_cnt", "bytes")),
                    NativeBytes.u32(b, s.offset("qlength")), NativeBytes.u32(b, s.offset("qlimit")));
            default -> new ClassStats(pkt(b, s, "xmit_cnt", 0), pkt(b, s, "xmit_cnt", 8), pkt(b, s, "drop_cnt", 0),
                    pkt(b, s, "drop_cnt", 8), NativeBytes.u32(b, s.offset("qlength")), NativeBytes.u32(b, s.offset("qlimit")));
        };
    }

    private static long pkt(ByteBuffer b, CStruct s, String counter, int member) {
        return NativeBytes.u64(b, s.offset(counter) + member);
    }

    /**
     * Writes a scheduler's statistics as its getqstats() copies them out and returns nbytes. For
     * CoDel all drops are booked as class drops ({@code cl_dropcnt}), the algorithm's own at 0.
     */
    public static int encodeStats(int scheduler, ClassStats c, long classHandle, ByteBuffer b) {
        CStruct s = statsLayout(scheduler).orElseThrow();
        for (int i = 0; i < s.size(); i++) {
            b.put(i, (byte) 0);
        }
        String xmit = scheduler == ALTQT_PRIQ ? "xmitcnt" : scheduler == ALTQT_CODEL ? "cl_xmitcnt" : "xmit_cnt";
        String drop = scheduler == ALTQT_PRIQ ? "dropcnt" : scheduler == ALTQT_CODEL ? "cl_dropcnt" : "drop_cnt";
        NativeBytes.putU64(b, s.offset(xmit), c.xmitPackets());
        NativeBytes.putU64(b, s.offset(xmit) + 8, c.xmitBytes());
        NativeBytes.putU64(b, s.offset(drop), c.dropPackets());
        NativeBytes.putU64(b, s.offset(drop) + 8, c.dropBytes());
        NativeBytes.putU32(b, s.offset(scheduler == ALTQT_CBQ ? "qcnt" : "qlength"), c.qlength());
        NativeBytes.putU32(b, s.offset(scheduler == ALTQT_CBQ ? "qmax" : "qlimit"), c.qlimit());
        if (s.has("class_handle")) {
            NativeBytes.putU32(b, s.offset("class_handle"), classHandle);
        } else if (s.has("handle")) {
            NativeBytes.putU32(b, s.offset("handle"), classHandle);
        }
        return s.size();
    }

    /** The model's kind for a FreeBSD discipline. */
    public static QueueStats.Kind kind(int scheduler) {
        return switch (scheduler) {
            case ALTQT_CBQ -> QueueStats.Kind.CBQ;
            case ALTQT_PRIQ -> QueueStats.Kind.PRIQ;
            case ALTQT_FAIRQ -> QueueStats.Kind.FAIRQ;
            case ALTQT_CODEL -> QueueStats.Kind.CODEL;
            default -> QueueStats.Kind.HFSC;
        };
    }

    /**
     * The model's view: the default class is {@code PFQS_DEFAULT} in {@code flags} (the only flag the
     * exporter reads); the bandwidth is the queue's, or the interface's for a CoDel interface entry.
     */
    public QueueStats toModel(ClassStats c) {
        return new QueueStats(qname, parent, ifname, qid, parentQid, isDefault() ? QueueStats.PFQS_DEFAULT : 0,
                kind(scheduler), scheduler == ALTQT_CODEL ? ifbandwidth : bandwidth,
                c.xmitPackets(), c.xmitBytes(), c.dropPackets(), c.dropBytes(), c.qlength(), c.qlimit(), 0);
    }
}
