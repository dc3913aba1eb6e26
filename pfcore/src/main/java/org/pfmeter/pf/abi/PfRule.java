package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.CType.INT;
import static org.pfmeter.pf.abi.CType.PID;
import static org.pfmeter.pf.abi.CType.POINTER;
import static org.pfmeter.pf.abi.CType.SA_FAMILY;
import static org.pfmeter.pf.abi.CType.TIME;
import static org.pfmeter.pf.abi.CType.U_INT16;
import static org.pfmeter.pf.abi.CType.U_INT32;
import static org.pfmeter.pf.abi.CType.U_INT64;
import static org.pfmeter.pf.abi.CType.U_INT8;
import static org.pfmeter.pf.abi.CType.UID;
import static org.pfmeter.pf.abi.CType.array;
import static org.pfmeter.pf.abi.CType.chars;
import static org.pfmeter.pf.abi.PfConstants.IFNAMSIZ;
import static org.pfmeter.pf.abi.PfConstants.PFTM_MAX;
import static org.pfmeter.pf.abi.PfConstants.PF_QNAME_SIZE;
import static org.pfmeter.pf.abi.PfConstants.PF_RULE_LABEL_SIZE;
import static org.pfmeter.pf.abi.PfConstants.PF_SKIP_COUNT;
import static org.pfmeter.pf.abi.PfConstants.PF_TABLE_NAME_SIZE;
import static org.pfmeter.pf.abi.PfConstants.PF_TAG_NAME_SIZE;

/**
 * struct pf_rule as DIOCGETRULE copies it out (kernel pointers zeroed). pfvar.h 1.548 (7.9, 8.0)
 * added {@code statelim} and {@code sourcelim} before {@code divert}, growing it from 1344 to 1360 bytes.
 */
final class PfRule {

    private PfRule() {
    }

    static CStruct define(AbiRelease release) {
        CStruct limiter = CStruct.struct("limiter")
                .field("id", U_INT8)                                       // u_int8_t
                .field("limiter_action", INT)                              // int
                .build();
        return CStruct.struct("pf_rule")
                .field("src", PfRuleParts.PF_RULE_ADDR)                    // struct pf_rule_addr
                .field("dst", PfRuleParts.PF_RULE_ADDR)                    // struct pf_rule_addr
                .field("skip", array(CStruct.union("pf_rule_ptr")             // union pf_rule_ptr [PF_SKIP_COUNT]
                        .field("ptr", POINTER)                             //   struct pf_rule *
                        .field("nr", U_INT32)                              //   u_int32_t
                        .build(), PF_SKIP_COUNT))
                .field("label", chars(PF_RULE_LABEL_SIZE))                 // char [PF_RULE_LABEL_SIZE]
                .field("ifname", chars(IFNAMSIZ))
                .field("rcv_ifname", chars(IFNAMSIZ))
                .field("qname", chars(PF_QNAME_SIZE))
                .field("pqname", chars(PF_QNAME_SIZE))
                .field("tagname", chars(PF_TAG_NAME_SIZE))
                .field("match_tagname", chars(PF_TAG_NAME_SIZE))
                .field("overload_tblname", chars(PF_TABLE_NAME_SIZE))
                .field("entries", PfRuleParts.TAILQ_ENTRY)                 // TAILQ_ENTRY(pf_rule)
                .field("nat", PfRuleParts.PF_POOL)                         // struct pf_pool
                .field("rdr", PfRuleParts.PF_POOL)
                .field("route", PfRuleParts.PF_POOL)
                .field("pktrate", PfRuleParts.PF_THRESHOLD)                // struct pf_threshold
                .field("evaluations", U_INT64)                             // u_int64_t
                .field("packets", array(U_INT64, 2))                       // u_int64_t [2]
                .field("bytes", array(U_INT64, 2))                         // u_int64_t [2]
                .field("kif", POINTER)                                     // struct pfi_kif *
                .field("rcv_kif", POINTER)
                .field("anchor", POINTER)                                  // struct pf_anchor *
                .field("overload_tbl", POINTER)                            // struct pfr_ktable *
                .field("os_fingerprint", U_INT32)                          // pf_osfp_t
                .field("rtableid", INT)
                .field("onrdomain", INT)
                .field("timeout", array(U_INT32, PFTM_MAX))                // u_int32_t [PFTM_MAX]
                .field("states_cur", U_INT32)
                .field("states_tot", U_INT32)
                .field("max_states", U_INT32)
                .field("src_nodes", U_INT32)
                .field("max_src_nodes", U_INT32)
                .field("max_src_states", U_INT32)
                .field("max_src_conn", U_INT32)
                .field("max_src_conn_rate", CStruct.struct("max_src_conn_rate")
                        .field("limit", U_INT32)
                        .field("seconds", U_INT32)
                        .build())
                .field("qid", U_INT32)
                .field("pqid", U_INT32)
                .field("rt_listid", U_INT32)
                .field("nr", U_INT32)
                .field("prob", U_INT32)
                .field("cuid", UID)                                        // uid_t
                .field("cpid", PID)                                        // pid_t
                .field("return_icmp", U_INT16)
                .field("return_icmp6", U_INT16)
                .field("max_mss", U_INT16)
                .field("tag", U_INT16)
                .field("match_tag", U_INT16)
                .field("scrub_flags", U_INT16)
                .field("delay", U_INT16)
                .field("uid", PfRuleParts.PF_RULE_UID)                     // struct pf_rule_uid
                .field("gid", PfRuleParts.PF_RULE_GID)                     // struct pf_rule_gid
                .field("rule_flag", U_INT32)
                .field("action", U_INT8)
                .field("direction", U_INT8)
                .field("log", U_INT8)
                .field("logif", U_INT8)
                .field("quick", U_INT8)
                .field("ifnot", U_INT8)
                .field("match_tag_not", U_INT8)
                .field("keep_state", U_INT8)
                .field("af", SA_FAMILY)                                    // sa_family_t
                .field("proto", U_INT8)
                .field("type", U_INT16)
                .field("code", U_INT16)
                .field("flags", U_INT8)
                .field("flagset", U_INT8)
                .field("min_ttl", U_INT8)
                .field("allow_opts", U_INT8)
                .field("rt", U_INT8)
                .field("return_ttl", U_INT8)
                .field("tos", U_INT8)
                .field("set_tos", U_INT8)
                .field("anchor_relative", U_INT8)
                .field("anchor_wildcard", U_INT8)
                .field("flush", U_INT8)
                .field("prio", U_INT8)
                .field("set_prio", array(U_INT8, 2))
                .field("naf", SA_FAMILY)
                .field("rcvifnot", U_INT8)
                .fieldIf(release.hasRuleLimiters(), "statelim", limiter)  // 1.548: struct { u_int8_t id; int limiter_action; }
                .fieldIf(release.hasRuleLimiters(), "sourcelim", limiter)
                .field("divert", CStruct.struct("divert")
                        .field("addr", PfRuleParts.PF_ADDR)
                        .field("port", U_INT16)
                        .field("type", U_INT8)
                        .build())
                .field("exptime", TIME)                                    // time_t
                .build();
    }
}
