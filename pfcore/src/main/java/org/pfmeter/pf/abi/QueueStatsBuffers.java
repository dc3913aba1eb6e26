package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.CType.INT;
import static org.pfmeter.pf.abi.CType.U_INT;
import static org.pfmeter.pf.abi.CType.U_INT32;
import static org.pfmeter.pf.abi.CType.U_INT64;

/**
 * The two layouts DIOCGETQSTATS writes into {@code pfioc_qstats.buf}: struct hfsc_class_stats
 * (net/hfsc.h; its service curves became 64-bit in hfsc.h 1.15, 7.9) and struct fqcodel_stats
 * (net/fq_codel.h). Both begin with transmitted and dropped packet/byte counters, then qlength, qlimit.
 */
final class QueueStatsBuffers {

    private QueueStatsBuffers() {
    }

    static CStruct pktcntr(String name) {
        return CStruct.struct(name)
                .field("packets", U_INT64)       // u_int64_t
                .field("bytes", U_INT64)         // u_int64_t
                .build();
    }

    static CStruct hfscSc(AbiRelease release) {
        return release.hasHfsc64BitCurves()
                ? CStruct.struct("hfsc_sc")
                        .field("m1", U_INT64)    // u_int64_t: bits/sec
                        .field("m2", U_INT64)    // u_int64_t: bits/sec
                        .field("d", U_INT)       // u_int: msec
                        .build()
                : CStruct.struct("hfsc_sc")
                        .field("m1", U_INT)      // u_int
                        .field("d", U_INT)       // u_int
                        .field("m2", U_INT)      // u_int
                        .build();
    }

    static CStruct hfscClassStats(AbiRelease release) {
        CStruct sc = hfscSc(release);
        CStruct pkt = pktcntr("hfsc_pktcntr");
        return CStruct.struct("hfsc_class_stats")
                .field("xmit_cnt", pkt)          // struct hfsc_pktcntr
                .field("drop_cnt", pkt)
                .field("qlength", U_INT)
                .field("qlimit", U_INT)
                .field("period", U_INT)
                .field("class_id", U_INT)
                .field("class_handle", U_INT32)
                .field("rsc", sc)                // struct hfsc_sc
                .field("fsc", sc)
                .field("usc", sc)
                .field("total", U_INT64)
                .field("cumul", U_INT64)
                .field("d", U_INT64)
                .field("e", U_INT64)
                .field("vt", U_INT64)
                .field("f", U_INT64)
                .field("initvt", U_INT64)
                .field("vtoff", U_INT64)
                .field("cvtmax", U_INT64)
                .field("myf", U_INT64)
                .field("cfmin", U_INT64)
                .field("cvtmin", U_INT64)
                .field("myfadj", U_INT64)
                .field("vtadj", U_INT64)
                .field("cur_time", U_INT64)
                .field("machclk_freq", U_INT32)
                .field("vtperiod", U_INT)
                .field("parentperiod", U_INT)
                .field("nactive", INT)
                .field("qtype", INT)
                .build();
    }

    static CStruct fqcodelStats() {
        CStruct pkt = pktcntr("fqcodel_pktcntr");
        return CStruct.struct("fqcodel_stats")
                .field("xmit_cnt", pkt)          // struct fqcodel_pktcntr
                .field("drop_cnt", pkt)
                .field("qlength", U_INT32)       // uint32_t
                .field("qlimit", U_INT32)
                .field("flows", U_INT32)
                .field("_unused", U_INT32)
                .field("target", U_INT32)
                .field("interval", U_INT32)
                .field("delaysum", U_INT64)      // uint64_t
                .field("delaysumsq", U_INT64)
                .build();
    }
}
