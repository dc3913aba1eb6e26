package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.CType.POINTER;
import static org.pfmeter.pf.abi.CType.U_INT16;
import static org.pfmeter.pf.abi.CType.U_INT32;
import static org.pfmeter.pf.abi.CType.U_INT64;
import static org.pfmeter.pf.abi.CType.U_INT8;
import static org.pfmeter.pf.abi.CType.INT;
import static org.pfmeter.pf.abi.CType.UID;
import static org.pfmeter.pf.abi.CType.array;
import static org.pfmeter.pf.abi.CType.chars;
import static org.pfmeter.pf.abi.PfConstants.IFNAMSIZ;
import static org.pfmeter.pf.abi.PfConstants.PF_TABLE_NAME_SIZE;
import static org.pfmeter.pf.abi.PfConstants.RTLABEL_LEN;

/**
 * The small structs and unions embedded in {@code struct pf_rule} (net/pfvar.h). pfmeter reads none
 * of their members, but they fix pf_rule's layout, and {@code record --redact} zeroes addresses in them.
 */
final class PfRuleParts {

    private PfRuleParts() {
    }

    /** struct pf_addr { union { in_addr v4; in6_addr v6; u_int8_t addr8[16]; … } pfa; }. */
    static final CStruct PF_ADDR = CStruct.struct("pf_addr")
            .field("pfa", CStruct.union("pfa")
                    .field("v4", U_INT32)                           // struct in_addr
                    .field("v6", array(U_INT32, 4))                 // struct in6_addr (32-bit aligned)
                    .field("addr8", array(U_INT8, 16))
                    .field("addr16", array(U_INT16, 8))
                    .field("addr32", array(U_INT32, 4))
                    .build())
            .build();

    /** struct pf_addr_wrap. */
    static final CStruct PF_ADDR_WRAP = CStruct.struct("pf_addr_wrap")
            .field("v", CStruct.union("v")
                    .field("a", CStruct.struct("a").field("addr", PF_ADDR).field("mask", PF_ADDR).build())
                    .field("ifname", chars(IFNAMSIZ))
                    .field("tblname", chars(PF_TABLE_NAME_SIZE))
                    .field("rtlabelname", chars(RTLABEL_LEN))
                    .field("rtlabel", U_INT32)
                    .build())
            .field("p", CStruct.union("p")
                    .field("dyn", POINTER)                          // struct pfi_dynaddr *
                    .field("tbl", POINTER)                          // struct pfr_ktable *
                    .field("dyncnt", INT)
                    .field("tblcnt", INT)
                    .build())
            .field("type", U_INT8)                                  // PF_ADDR_*
            .field("iflags", U_INT8)                                // PFI_AFLAG_*
            .build();

    /** struct pf_rule_addr. */
    static final CStruct PF_RULE_ADDR = CStruct.struct("pf_rule_addr")
            .field("addr", PF_ADDR_WRAP)
            .field("port", array(U_INT16, 2))
            .field("neg", U_INT8)
            .field("port_op", U_INT8)
            .field("weight", U_INT16)
            .build();

    /** struct pf_poolhashkey. */
    static final CStruct PF_POOLHASHKEY = CStruct.struct("pf_poolhashkey")
            .field("pfk", CStruct.union("pfk")
                    .field("key8", array(U_INT8, 16))
                    .field("key16", array(U_INT16, 8))
                    .field("key32", array(U_INT32, 4))
                    .build())
            .build();

    /** struct pf_pool. */
    static final CStruct PF_POOL = CStruct.struct("pf_pool")
            .field("addr", PF_ADDR_WRAP)
            .field("key", PF_POOLHASHKEY)
            .field("counter", PF_ADDR)
            .field("ifname", chars(IFNAMSIZ))
            .field("kif", POINTER)                                  // struct pfi_kif *
            .field("tblidx", INT)
            .field("states", U_INT64)
            .field("curweight", INT)
            .field("weight", U_INT16)
            .field("proxy_port", array(U_INT16, 2))
            .field("port_op", U_INT8)
            .field("opts", U_INT8)
            .build();

    /** struct pf_threshold. */
    static final CStruct PF_THRESHOLD = CStruct.struct("pf_threshold")
            .field("limit", U_INT32)
            .field("seconds", U_INT32)
            .field("count", U_INT32)
            .field("last", U_INT32)
            .build();

    /** struct pf_rule_uid. */
    static final CStruct PF_RULE_UID = CStruct.struct("pf_rule_uid")
            .field("uid", array(UID, 2))
            .field("op", U_INT8)
            .build();

    /** struct pf_rule_gid. */
    static final CStruct PF_RULE_GID = CStruct.struct("pf_rule_gid")
            .field("gid", array(UID, 2))
            .field("op", U_INT8)
            .build();

    /** TAILQ_ENTRY(type): two pointers. */
    static final CStruct TAILQ_ENTRY = CStruct.struct("TAILQ_ENTRY")
            .field("tqe_next", POINTER)
            .field("tqe_prev", POINTER)
            .build();
}
