package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.PfConstants.IFNAMSIZ;
import static org.pfmeter.pf.abi.PfConstants.PF_QNAME_SIZE;

import java.nio.ByteBuffer;
import org.pfmeter.pf.model.QueueStats;

/**
 * Reads and writes a queue's DIOCGETQSTATS answer: the pf_queuespec inside pfioc_qstats and the
 * statistics buffer. Both statistics layouts start with the same counters, qlength and qlimit, so
 * those are read through the hfsc view for either kind, as pfctl does.
 */
public final class QueueCodec {

    private final CStruct qstats;
    private final CStruct hfsc;
    private final CStruct fqcodel;
    private final int qname;
    private final int parent;
    private final int ifname;
    private final int flags;
    private final int qlimit;
    private final int qid;
    private final int parentQid;
    private final int linkshareM2;
    private final int flowqueueFlows;
    private final int xmit;
    private final int drop;
    private final int qlength;
    private final int statsQlimit;
    private final int fqFlows;

    QueueCodec(CStruct qstats, CStruct hfsc, CStruct fqcodel) {
        this.qstats = qstats;
        this.hfsc = hfsc;
        this.fqcodel = fqcodel;
        qname = qstats.offset("queue", "qname");
        parent = qstats.offset("queue", "parent");
        ifname = qstats.offset("queue", "ifname");
        flags = qstats.offset("queue", "flags");
        qlimit = qstats.offset("queue", "qlimit");
        qid = qstats.offset("queue", "qid");
        parentQid = qstats.offset("queue", "parent_qid");
        linkshareM2 = qstats.offset("queue", "linkshare", "m2", "absolute");
        flowqueueFlows = qstats.offset("queue", "flowqueue", "flows");
        xmit = hfsc.offset("xmit_cnt");
        drop = hfsc.offset("drop_cnt");
        qlength = hfsc.offset("qlength");
        statsQlimit = hfsc.offset("qlimit");
        fqFlows = fqcodel.offset("flows");
    }

    /** Bytes a stats buffer needs to hold either layout. */
    public int statsBufferSize() {
        return Math.max(hfsc.size(), fqcodel.size());
    }

    public int hfscSize() {
        return hfsc.size();
    }

    public int fqcodelSize() {
        return fqcodel.size();
    }

    public QueueStats decode(ByteBuffer q, ByteBuffer stats, int nbytes) {
        int f = NativeBytes.s32(q, flags);
        long pq = NativeBytes.u32(q, parentQid);
        QueueStats.Kind kind = QueueStats.kindOf(f, pq);
        int need = kind == QueueStats.Kind.FQ_CODEL ? fqcodel.size() : hfsc.size();
        if (nbytes < need) {
            throw new MalformedAnswerException("DIOCGETQSTATS wrote " + nbytes + " bytes of statistics, "
                    + (kind == QueueStats.Kind.FQ_CODEL ? "struct fqcodel_stats" : "struct hfsc_class_stats")
                    + " needs " + need);
        }
        return new QueueStats(
                NativeBytes.cString(q, qname, PF_QNAME_SIZE),
                NativeBytes.cString(q, parent, PF_QNAME_SIZE),
                NativeBytes.cString(q, ifname, IFNAMSIZ),
                NativeBytes.u32(q, qid),
                pq,
                f,
                kind,
                NativeBytes.u64(q, linkshareM2),
                NativeBytes.u64(stats, xmit),
                NativeBytes.u64(stats, xmit + 8),
                NativeBytes.u64(stats, drop),
                NativeBytes.u64(stats, drop + 8),
                NativeBytes.u32(stats, qlength),
                NativeBytes.u32(stats, statsQlimit),
                kind == QueueStats.Kind.FQ_CODEL ? NativeBytes.u32(stats, fqFlows) : 0);
    }

    /** Writes the queue spec into a pfioc_qstats (or pfioc_queue: same offsets) and returns nbytes. */
    public int encode(QueueStats s, ByteBuffer q, ByteBuffer stats) {
        NativeBytes.putCString(q, qname, PF_QNAME_SIZE, s.name());
        NativeBytes.putCString(q, parent, PF_QNAME_SIZE, s.parent());
        NativeBytes.putCString(q, ifname, IFNAMSIZ, s.ifname());
        NativeBytes.putU32(q, flags, s.flags());
        NativeBytes.putU32(q, qlimit, s.limit());
        NativeBytes.putU32(q, qid, s.qid());
        NativeBytes.putU32(q, parentQid, s.parentQid());
        NativeBytes.putU64(q, linkshareM2, s.bandwidth());
        NativeBytes.putU32(q, flowqueueFlows, s.flows());
        NativeBytes.putU64(stats, xmit, s.transmittedPackets());
        NativeBytes.putU64(stats, xmit + 8, s.transmittedBytes());
        NativeBytes.putU64(stats, drop, s.droppedPackets());
        NativeBytes.putU64(stats, drop + 8, s.droppedBytes());
        NativeBytes.putU32(stats, qlength, s.length());
        NativeBytes.putU32(stats, statsQlimit, s.limit());
        if (s.kind() == QueueStats.Kind.FQ_CODEL) {
            NativeBytes.putU32(stats, fqFlows, s.flows());
            return fqcodel.size();
        }
        return hfsc.size();
    }

    CStruct qstatsLayout() {
        return qstats;
    }
}
