package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.CType.POINTER;
import static org.pfmeter.pf.abi.CType.U_INT;
import static org.pfmeter.pf.abi.CType.U_INT32;
import static org.pfmeter.pf.abi.CType.U_INT64;
import static org.pfmeter.pf.abi.CType.chars;
import static org.pfmeter.pf.abi.PfConstants.IFNAMSIZ;
import static org.pfmeter.pf.abi.PfConstants.PF_QNAME_SIZE;

/**
 * struct pf_queuespec (320 bytes since 7.7's 64-bit bandwidth) and the request structs that carry
 * it: pfioc_queue (DIOCGETQUEUES) and pfioc_qstats (DIOCGETQSTATS).
 */
final class PfQueuespec {

    private PfQueuespec() {
    }

    static final CStruct PF_QUEUE_BWSPEC = CStruct.struct("pf_queue_bwspec")
            .field("absolute", U_INT64)          // uint64_t
            .field("percent", U_INT)             // u_int
            .build();

    static final CStruct PF_QUEUE_SCSPEC = CStruct.struct("pf_queue_scspec")
            .field("m1", PF_QUEUE_BWSPEC)        // struct pf_queue_bwspec
            .field("m2", PF_QUEUE_BWSPEC)
            .field("d", U_INT)                   // u_int
            .build();

    static final CStruct PF_QUEUE_FQSPEC = CStruct.struct("pf_queue_fqspec")
            .field("flows", U_INT)
            .field("quantum", U_INT)
            .field("target", U_INT)
            .field("interval", U_INT)
            .build();

    static CStruct define() {
        return CStruct.struct("pf_queuespec")
                .field("entries", PfRuleParts.TAILQ_ENTRY)      // TAILQ_ENTRY(pf_queuespec)
                .field("qname", chars(PF_QNAME_SIZE))           // char [PF_QNAME_SIZE]
                .field("parent", chars(PF_QNAME_SIZE))          // char [PF_QNAME_SIZE]
                .field("ifname", chars(IFNAMSIZ))               // char [IFNAMSIZ]
                .field("realtime", PF_QUEUE_SCSPEC)             // struct pf_queue_scspec
                .field("linkshare", PF_QUEUE_SCSPEC)
                .field("upperlimit", PF_QUEUE_SCSPEC)
                .field("flowqueue", PF_QUEUE_FQSPEC)            // struct pf_queue_fqspec
                .field("kif", POINTER)                          // struct pfi_kif *
                .field("flags", U_INT)                          // u_int
                .field("qlimit", U_INT)                         // u_int
                .field("qid", U_INT32)                          // u_int32_t
                .field("parent_qid", U_INT32)                   // u_int32_t
                .build();
    }

    static CStruct definePfiocQueue(CStruct queuespec) {
        return CStruct.struct("pfioc_queue")
                .field("ticket", U_INT32)                       // u_int32_t
                .field("nr", U_INT)                             // u_int
                .field("queue", queuespec)                      // struct pf_queuespec
                .build();
    }

    static CStruct definePfiocQstats(CStruct queuespec) {
        return CStruct.struct("pfioc_qstats")
                .field("ticket", U_INT32)                       // u_int32_t
                .field("nr", U_INT32)                           // u_int32_t
                .field("queue", queuespec)                      // struct pf_queuespec
                .field("buf", POINTER)                          // void *
                .field("nbytes", CType.INT)                     // int
                .build();
    }
}
