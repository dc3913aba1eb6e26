package org.pfmeter.pf.model;

/**
 * One queue (DIOCGETQSTATS): its {@code pf_queuespec} and the statistics the kernel wrote into the
 * stats buffer ({@code struct hfsc_class_stats}, or {@code struct fqcodel_stats} for a stand-alone
 * flow queue).
 *
 * @param bandwidth the linkshare curve's m2 in bits per second (0 if given as a percentage)
 * @param flows     number of flows (FQ-CoDel only, otherwise 0)
 */
public record QueueStats(
        String name,
        String parent,
        String ifname,
        long qid,
        long parentQid,
        int flags,
        Kind kind,
        long bandwidth,
        long transmittedPackets,
        long transmittedBytes,
        long droppedPackets,
        long droppedBytes,
        long length,
        long limit,
        long flows) {

    public static final int PFQS_FLOWQUEUE = 0x0001;
    public static final int PFQS_ROOTCLASS = 0x0002;
    public static final int PFQS_DEFAULT = 0x1000;

    /** Which statistics layout the kernel wrote (the last four: FreeBSD's ALTQ disciplines). */
    public enum Kind {
        HFSC,
        FQ_CODEL,
        CBQ,
        PRIQ,
        FAIRQ,
        CODEL
    }

    /** pfctl's rule: a flow queue without parent that is not a root class has fqcodel_stats. */
    public static Kind kindOf(int flags, long parentQid) {
        return (flags & PFQS_FLOWQUEUE) != 0 && parentQid == 0 && (flags & PFQS_ROOTCLASS) == 0
                ? Kind.FQ_CODEL : Kind.HFSC;
    }
}
