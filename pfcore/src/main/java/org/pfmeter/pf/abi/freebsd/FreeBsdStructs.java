package org.pfmeter.pf.abi.freebsd;

import static org.pfmeter.pf.abi.CType.INT;
import static org.pfmeter.pf.abi.CType.POINTER;
import static org.pfmeter.pf.abi.CType.TIME;
import static org.pfmeter.pf.abi.CType.U_INT;
import static org.pfmeter.pf.abi.CType.U_INT16;
import static org.pfmeter.pf.abi.CType.U_INT32;
import static org.pfmeter.pf.abi.CType.U_INT64;
import static org.pfmeter.pf.abi.CType.U_INT8;
import static org.pfmeter.pf.abi.CType.array;
import static org.pfmeter.pf.abi.CType.chars;

import org.pfmeter.pf.abi.CStruct;

/**
 * FreeBSD's userland structs for the binary ioctls pfmeter still needs next to netlink, as amd64
 * (LP64) lays them out: sys/net/pfvar.h (pfioc_iface, pfioc_table, pfr_table, pfr_tstats,
 * pfioc_altq_v1, pfioc_qstats_v1), sys/netpfil/pf/pf.h (the userland {@code struct pfi_kif}),
 * sys/netpfil/pf/pf_altq.h (pf_altq_v1 and the scheduler options) and sys/net/altq/altq_*.h (the
 * class statistics DIOCGETQSTATSV1 copies out). Members carry their C names; the C type is in the
 * trailing comment. Every size and offset used is pinned by FreeBsdLayoutTest.
 */
public final class FreeBsdStructs {

    public static final int IFNAMSIZ = 16;                  // net/if.h
    public static final int MAXPATHLEN = 1024;              // sys/param.h
    public static final int PF_TABLE_NAME_SIZE = 32;        // netpfil/pf/pf.h
    public static final int PF_QNAME_SIZE = 64;             // netpfil/pf/pf.h
    public static final int PFR_DIR_MAX = 2;                // enum { PFR_DIR_IN, PFR_DIR_OUT, PFR_DIR_MAX }
    /** {@code enum { PFR_OP_BLOCK, PFR_OP_PASS, PFR_OP_ADDR_MAX, PFR_OP_TABLE_MAX }}: 3, not OpenBSD's 4. */
    public static final int PFR_OP_TABLE_MAX = 3;
    public static final int PFR_OP_BLOCK = 0;
    public static final int PFR_OP_PASS = 1;
    /** {@code PFR_OP_XPASS = PFR_OP_ADDR_MAX}. */
    public static final int PFR_OP_XPASS = 2;
    public static final int PFR_REFCNT_MAX = 2;
    public static final int PFR_FLAG_ALLRSETS = 0x40;

    private FreeBsdStructs() {
    }

    /**
     * {@code RB_ENTRY(type)} of FreeBSD 13 and later sys/tree.h: {@code struct type *rbe_link[3]}
     * (parent, left, right; the colour lives in the parent pointer's low bits), 24 bytes, where
     * OpenBSD keeps three pointers and an int colour (32 bytes).
     */
    static final CStruct RB_ENTRY = CStruct.struct("RB_ENTRY")
            .field("rbe_link", array(POINTER, 3))            // struct type *[3]
            .build();
    static final CStruct LIST_ENTRY = CStruct.struct("LIST_ENTRY")
            .field("le_next", POINTER)
            .field("le_prev", POINTER)
            .build();
    static final CStruct TAILQ_ENTRY = CStruct.struct("TAILQ_ENTRY")
            .field("tqe_next", POINTER)
            .field("tqe_prev", POINTER)
            .build();
    static final CStruct TAILQ_HEAD = CStruct.struct("TAILQ_HEAD")
            .field("tqh_first", POINTER)
            .field("tqh_last", POINTER)
            .build();

    /** The userland {@code struct pfi_kif} (pf.h): what DIOCIGETIFACES copies out, 216 bytes. */
    public static final CStruct PFI_KIF = CStruct.struct("pfi_kif")
            .field("pfik_name", chars(IFNAMSIZ))                 // char [IFNAMSIZ]
            .field("_pfik_glue", CStruct.union("_pfik_glue")    // union { RB_ENTRY pfik_tree; LIST_ENTRY pfik_list; }
                    .field("_pfik_tree", RB_ENTRY)
                    .field("_pfik_list", LIST_ENTRY)
                    .build())
            .field("pfik_packets", array(U_INT64, 2, 2, 2))     // u_int64_t [2][2][2]
            .field("pfik_bytes", array(U_INT64, 2, 2, 2))       // u_int64_t [2][2][2]
            .field("pfik_tzero", U_INT32)                        // u_int32_t
            .field("pfik_flags", U_INT)                          // u_int
            .field("pfik_ifp", POINTER)                          // struct ifnet *
            .field("pfik_group", POINTER)                        // struct ifg_group *
            .field("pfik_rulerefs", U_INT)                       // u_int
            .field("pfik_dynaddrs", TAILQ_HEAD)                  // TAILQ_HEAD(, pfi_dynaddr)
            .build();

    /** {@code struct pfioc_iface} (pfvar.h), 40 bytes: the same members as OpenBSD's. */
    public static final CStruct PFIOC_IFACE = CStruct.struct("pfioc_iface")
            .field("pfiio_name", chars(IFNAMSIZ))                // char [IFNAMSIZ]
            .field("pfiio_buffer", POINTER)                      // void *
            .field("pfiio_esize", INT)                           // int
            .field("pfiio_size", INT)                            // int
            .field("pfiio_nzero", INT)                           // int
            .field("pfiio_flags", INT)                           // int
            .build();

    /** {@code struct pfr_table}, 1064 bytes. */
    public static final CStruct PFR_TABLE = CStruct.struct("pfr_table")
            .field("pfrt_anchor", chars(MAXPATHLEN))             // char [MAXPATHLEN]
            .field("pfrt_name", chars(PF_TABLE_NAME_SIZE))       // char [PF_TABLE_NAME_SIZE]
            .field("pfrt_flags", U_INT32)                        // u_int32_t
            .field("pfrt_fback", U_INT8)                         // u_int8_t
            .build();

    /** {@code struct pfr_tstats}: counters {@code [PFR_DIR_MAX][PFR_OP_TABLE_MAX]} = [2][3], 1200 bytes. */
    public static final CStruct PFR_TSTATS = CStruct.struct("pfr_tstats")
            .field("pfrts_t", PFR_TABLE)                         // struct pfr_table
            .field("pfrts_packets", array(U_INT64, PFR_DIR_MAX, PFR_OP_TABLE_MAX))   // u_int64_t [2][3]
            .field("pfrts_bytes", array(U_INT64, PFR_DIR_MAX, PFR_OP_TABLE_MAX))     // u_int64_t [2][3]
            .field("pfrts_match", U_INT64)                       // u_int64_t
            .field("pfrts_nomatch", U_INT64)                     // u_int64_t
            .field("pfrts_tzero", TIME)                          // time_t
            .field("pfrts_cnt", INT)                             // int
            .field("pfrts_refcnt", array(INT, PFR_REFCNT_MAX))   // int [PFR_REFCNT_MAX]
            .build();

    /** {@code struct pfioc_table}, 1104 bytes. */
    public static final CStruct PFIOC_TABLE = CStruct.struct("pfioc_table")
            .field("pfrio_table", PFR_TABLE)                     // struct pfr_table
            .field("pfrio_buffer", POINTER)                      // void *
            .field("pfrio_esize", INT)                           // int
            .field("pfrio_size", INT)                            // int
            .field("pfrio_size2", INT)                           // int
            .field("pfrio_nadd", INT)                            // int
            .field("pfrio_ndel", INT)                            // int
            .field("pfrio_nchange", INT)                         // int
            .field("pfrio_flags", INT)                           // int
            .field("pfrio_ticket", U_INT32)                      // u_int32_t
            .build();

    // ---- ALTQ (pf_altq.h) ----

    static final CStruct CBQ_OPTS = CStruct.struct("cbq_opts")
            .field("minburst", U_INT).field("maxburst", U_INT).field("pktsize", U_INT).field("maxpktsize", U_INT)
            .field("ns_per_byte", U_INT).field("maxidle", U_INT).field("minidle", INT).field("offtime", U_INT)
            .field("flags", INT)
            .build();
    static final CStruct CODEL_OPTS = CStruct.struct("codel_opts")
            .field("target", U_INT).field("interval", U_INT).field("ecn", INT)
            .build();
    static final CStruct PRIQ_OPTS = CStruct.struct("priq_opts")
            .field("flags", INT)
            .build();
    static final CStruct HFSC_OPTS_V1 = CStruct.struct("hfsc_opts_v1")
            .field("rtsc_m1", U_INT64).field("rtsc_d", U_INT).field("rtsc_m2", U_INT64)
            .field("lssc_m1", U_INT64).field("lssc_d", U_INT).field("lssc_m2", U_INT64)
            .field("ulsc_m1", U_INT64).field("ulsc_d", U_INT).field("ulsc_m2", U_INT64)
            .field("flags", INT)
            .build();
    static final CStruct FAIRQ_OPTS = CStruct.struct("fairq_opts")
            .field("nbuckets", U_INT).field("hogs_m1", U_INT).field("flags", INT)
            .field("lssc_m1", U_INT).field("lssc_d", U_INT).field("lssc_m2", U_INT)
            .build();

    /** {@code struct pf_altq_v1}, 288 bytes: what DIOCGETALTQV1 fills in (pf_export_kaltq). */
    public static final CStruct PF_ALTQ_V1 = CStruct.struct("pf_altq_v1")
            .field("ifname", chars(IFNAMSIZ))                    // char [IFNAMSIZ]
            .field("entries", TAILQ_ENTRY)                       // TAILQ_ENTRY(pf_altq_v1)
            .field("scheduler", U_INT8)                          // uint8_t: ALTQT_*
            .field("tbrsize", U_INT32)                           // uint32_t
            .field("ifbandwidth", U_INT64)                       // uint64_t
            .field("qname", chars(PF_QNAME_SIZE))                // char [PF_QNAME_SIZE]
            .field("parent", chars(PF_QNAME_SIZE))               // char [PF_QNAME_SIZE]
            .field("parent_qid", U_INT32)                        // uint32_t
            .field("bandwidth", U_INT64)                         // uint64_t
            .field("priority", U_INT8)                           // uint8_t
            .field("local_flags", U_INT8)                        // uint8_t: PFALTQ_FLAG_IF_REMOVED
            .field("qlimit", U_INT16)                            // uint16_t
            .field("flags", U_INT16)                             // uint16_t
            .field("pq_u", CStruct.union("pq_u")                 // union { cbq, codel, priq, hfsc_v1, fairq }
                    .field("cbq_opts", CBQ_OPTS)
                    .field("codel_opts", CODEL_OPTS)
                    .field("priq_opts", PRIQ_OPTS)
                    .field("hfsc_opts", HFSC_OPTS_V1)
                    .field("fairq_opts", FAIRQ_OPTS)
                    .build())
            .field("qid", U_INT32)                               // uint32_t
            .build();

    /** {@code struct pfioc_altq_v1}, 304 bytes (DIOCGETALTQSV1, DIOCGETALTQV1). */
    public static final CStruct PFIOC_ALTQ_V1 = CStruct.struct("pfioc_altq_v1")
            .field("action", U_INT32)                            // u_int32_t
            .field("ticket", U_INT32)                            // u_int32_t
            .field("nr", U_INT32)                                // u_int32_t
            .field("version", U_INT32)                           // u_int32_t: PFIOC_ALTQ_VERSION
            .field("altq", PF_ALTQ_V1)                           // struct pf_altq_v1
            .build();

    /** {@code struct pfioc_qstats_v1}, 32 bytes (DIOCGETQSTATSV1). */
    public static final CStruct PFIOC_QSTATS_V1 = CStruct.struct("pfioc_qstats_v1")
            .field("ticket", U_INT32)                            // u_int32_t
            .field("nr", U_INT32)                                // u_int32_t
            .field("buf", POINTER)                               // void *
            .field("nbytes", INT)                                // int
            .field("scheduler", U_INT8)                          // u_int8_t
            .field("version", U_INT32)                           // u_int32_t: stats struct version wanted
            .build();

    // ---- class statistics (altq.h, altq_red.h, altq_codel.h, altq_cbq.h, altq_priq.h, altq_hfsc.h, altq_fairq.h) ----

    static final CStruct PKTCNTR = CStruct.struct("pktcntr")
            .field("packets", U_INT64)                           // u_int64_t
            .field("bytes", U_INT64)                             // u_int64_t
            .build();
    static final CStruct REDSTATS = CStruct.struct("redstats")
            .field("q_avg", INT)
            .field("xmit_cnt", PKTCNTR)
            .field("drop_cnt", PKTCNTR)
            .field("drop_forced", U_INT)
            .field("drop_unforced", U_INT)
            .field("marked_packets", U_INT)
            .build();
    static final CStruct CODEL_STATS = CStruct.struct("codel_stats")
            .field("maxpacket", U_INT32)
            .field("drop_cnt", PKTCNTR)
            .field("marked_packets", U_INT)
            .build();

    /** CBQ's {@code class_stats_t} (altq_cbq.h), 296 bytes. */
    public static final CStruct CLASS_STATS = CStruct.struct("_cbq_class_stats_")
            .field("handle", U_INT32).field("depth", U_INT)
            .field("xmit_cnt", PKTCNTR).field("drop_cnt", PKTCNTR)
            .field("over", U_INT).field("borrows", U_INT).field("overactions", U_INT).field("delays", U_INT)
            .field("priority", INT).field("maxidle", INT).field("minidle", INT).field("offtime", INT)
            .field("qmax", INT).field("ns_per_byte", INT).field("wrr_allot", INT)
            .field("qcnt", INT).field("avgidle", INT)
            .field("qtype", INT).field("red", array(REDSTATS, 3)).field("codel", CODEL_STATS)
            .build();

    /** {@code struct priq_classstats} (altq_priq.h), 224 bytes. */
    public static final CStruct PRIQ_CLASSSTATS = CStruct.struct("priq_classstats")
            .field("class_handle", U_INT32)
            .field("qlength", U_INT).field("qlimit", U_INT).field("period", U_INT)
            .field("xmitcnt", PKTCNTR).field("dropcnt", PKTCNTR)
            .field("qtype", INT).field("red", array(REDSTATS, 3))
            .build();

    static final CStruct SERVICE_CURVE_V1 = CStruct.struct("service_curve_v1")
            .field("m1", U_INT64).field("d", U_INT).field("m2", U_INT64)
            .build();

    /** {@code struct hfsc_classstats_v1} (altq_hfsc.h, HFSC_STATS_VERSION 1), 472 bytes. */
    public static final CStruct HFSC_CLASSSTATS_V1 = CStruct.struct("hfsc_classstats_v1")
            .field("class_id", U_INT).field("class_handle", U_INT32)
            .field("rsc", SERVICE_CURVE_V1).field("fsc", SERVICE_CURVE_V1).field("usc", SERVICE_CURVE_V1)
            .field("total", U_INT64).field("cumul", U_INT64).field("d", U_INT64).field("e", U_INT64)
            .field("vt", U_INT64).field("f", U_INT64).field("initvt", U_INT64).field("vtoff", U_INT64)
            .field("cvtmax", U_INT64).field("myf", U_INT64).field("cfmin", U_INT64).field("cvtmin", U_INT64)
            .field("myfadj", U_INT64).field("vtadj", U_INT64).field("cur_time", U_INT64)
            .field("machclk_freq", U_INT32)
            .field("qlength", U_INT).field("qlimit", U_INT)
            .field("xmit_cnt", PKTCNTR).field("drop_cnt", PKTCNTR)
            .field("period", U_INT).field("vtperiod", U_INT).field("parentperiod", U_INT).field("nactive", INT)
            .field("qtype", INT).field("red", array(REDSTATS, 3)).field("codel", CODEL_STATS)
            .build();

    /** {@code struct fairq_classstats} (altq_fairq.h), 256 bytes. */
    public static final CStruct FAIRQ_CLASSSTATS = CStruct.struct("fairq_classstats")
            .field("class_handle", U_INT32)
            .field("qlength", U_INT).field("qlimit", U_INT)
            .field("xmit_cnt", PKTCNTR).field("drop_cnt", PKTCNTR)
            .field("qtype", INT).field("red", array(REDSTATS, 3)).field("codel", CODEL_STATS)
            .build();

    /** {@code struct codel_ifstats} (altq_codel.h), 72 bytes: CoDel is an interface discipline without classes. */
    public static final CStruct CODEL_IFSTATS = CStruct.struct("codel_ifstats")
            .field("qlength", U_INT).field("qlimit", U_INT)
            .field("stats", CODEL_STATS)
            .field("cl_xmitcnt", PKTCNTR).field("cl_dropcnt", PKTCNTR)
            .build();
}
