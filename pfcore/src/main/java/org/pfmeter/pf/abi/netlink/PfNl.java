package org.pfmeter.pf.abi.netlink;

/**
 * The numbers of FreeBSD's {@code sys/netpfil/pf/pf_nl.h}: the generic netlink family {@code "pfctl"},
 * its commands and, per message, its attribute types. One nested class per C enum, named after it;
 * constants carry the C names verbatim. FreeBSD only ever appends to these enums (the same number
 * keeps its meaning in every revision read, see pfcore/README.md), so one table serves 14.3 and 15.0;
 * which commands a running kernel has is read from the family's operation list
 * ({@link GenlFamily#supports}), never assumed from a release number. Pinned in {@code PfNlNumbersTest}.
 */
public final class PfNl {

    /** {@code PFNL_FAMILY_NAME}. */
    public static final String PFNL_FAMILY_NAME = "pfctl";

    private PfNl() {
    }

    /** The {@code PFNL_CMD_*} commands (an anonymous enum before 15, {@code #define}s on main). */
    public static final class Cmd {
        public static final int PFNL_CMD_GETSTATES = 1;
        public static final int PFNL_CMD_GETCREATORS = 2;
        public static final int PFNL_CMD_START = 3;
        public static final int PFNL_CMD_STOP = 4;
        public static final int PFNL_CMD_ADDRULE = 5;
        public static final int PFNL_CMD_GETRULES = 6;
        public static final int PFNL_CMD_GETRULE = 7;
        public static final int PFNL_CMD_CLRSTATES = 8;
        public static final int PFNL_CMD_KILLSTATES = 9;
        public static final int PFNL_CMD_SET_STATUSIF = 10;
        public static final int PFNL_CMD_GET_STATUS = 11;
        public static final int PFNL_CMD_CLEAR_STATUS = 12;
        public static final int PFNL_CMD_NATLOOK = 13;
        public static final int PFNL_CMD_SET_DEBUG = 14;
        public static final int PFNL_CMD_SET_TIMEOUT = 15;
        public static final int PFNL_CMD_GET_TIMEOUT = 16;
        public static final int PFNL_CMD_SET_LIMIT = 17;
        public static final int PFNL_CMD_GET_LIMIT = 18;
        public static final int PFNL_CMD_BEGIN_ADDRS = 19;
        public static final int PFNL_CMD_ADD_ADDR = 20;
        public static final int PFNL_CMD_GET_ADDRS = 21;
        public static final int PFNL_CMD_GET_ADDR = 22;
        public static final int PFNL_CMD_GET_RULESETS = 23;
        public static final int PFNL_CMD_GET_RULESET = 24;
        public static final int PFNL_CMD_GET_SRCNODES = 25;
        public static final int PFNL_CMD_CLEAR_TABLES = 26;
        public static final int PFNL_CMD_ADD_TABLE = 27;
        public static final int PFNL_CMD_DEL_TABLE = 28;
        public static final int PFNL_CMD_GET_TSTATS = 29;
        public static final int PFNL_CMD_CLR_TSTATS = 30;
        public static final int PFNL_CMD_CLR_ADDRS = 31;
        public static final int PFNL_CMD_TABLE_ADD_ADDR = 32;
        public static final int PFNL_CMD_TABLE_DEL_ADDR = 33;
        public static final int PFNL_CMD_TABLE_SET_ADDR = 34;
        public static final int PFNL_CMD_TABLE_GET_ADDR = 35;
        public static final int PFNL_CMD_TABLE_GET_ASTATS = 36;
        public static final int PFNL_CMD_TABLE_CLEAR_ASTATS = 37;
        public static final int PFNL_CMD_STATE_LIMITER_ADD = 38;
        public static final int PFNL_CMD_STATE_LIMITER_GET = 39;
        public static final int PFNL_CMD_STATE_LIMITER_NGET = 40;
        public static final int PFNL_CMD_SOURCE_LIMITER_ADD = 41;
        public static final int PFNL_CMD_SOURCE_LIMITER_GET = 42;
        public static final int PFNL_CMD_SOURCE_LIMITER_NGET = 43;
        public static final int PFNL_CMD_SOURCE_GET = 44;
        public static final int PFNL_CMD_SOURCE_NGET = 45;
        public static final int PFNL_CMD_SOURCE_CLEAR = 46;
        public static final int PFNL_CMD_TABLE_TEST_ADDRS = 47;

        private Cmd() {
        }
    }

    /** {@code enum pf_get_status_types_t}: the attributes of a PFNL_CMD_GET_STATUS reply. */
    public static final class GetStatus {
        public static final int PF_GS_IFNAME = 1;           // string
        public static final int PF_GS_RUNNING = 2;          // bool
        public static final int PF_GS_SINCE = 3;            // u32
        public static final int PF_GS_DEBUG = 4;            // u32
        public static final int PF_GS_HOSTID = 5;           // u32
        public static final int PF_GS_STATES = 6;           // u32
        public static final int PF_GS_SRC_NODES = 7;        // u32
        public static final int PF_GS_REASSEMBLE = 8;       // u32
        public static final int PF_GS_SYNCOOKIES_ACTIVE = 9; // "bool" in the header, written as u32
        public static final int PF_GS_COUNTERS = 10;        // nested pf_counter_types_t, once per counter
        public static final int PF_GS_LCOUNTERS = 11;       // nested, once per counter
        public static final int PF_GS_FCOUNTERS = 12;       // nested, once per counter
        public static final int PF_GS_SCOUNTERS = 13;       // nested, once per counter
        public static final int PF_GS_CHKSUM = 14;          // 16 bytes
        public static final int PF_GS_PCOUNTERS = 15;       // nested u64 elements (type 0)
        public static final int PF_GS_BCOUNTERS = 16;       // nested u64 elements (type 0)
        public static final int PF_GS_NCOUNTERS = 17;       // nested, once per counter (main only)
        public static final int PF_GS_FRAGMENTS = 18;       // u64 (main only)

        private GetStatus() {
        }
    }

    /** {@code enum pf_counter_types_t}: one status counter, nested in PF_GS_*COUNTERS. */
    public static final class Counter {
        public static final int PF_C_COUNTER = 1;           // u64
        public static final int PF_C_NAME = 2;              // string, the kernel's name table entry
        public static final int PF_C_ID = 3;                // u32, the index in that table

        private Counter() {
        }
    }

    /** {@code enum pf_getrules_type_t}: request and reply of PFNL_CMD_GETRULES, request of PFNL_CMD_GETRULE. */
    public static final class GetRules {
        public static final int PF_GR_ANCHOR = 1;           // string
        public static final int PF_GR_ACTION = 2;           // u8, the ruleset (PF_PASS etc.)
        public static final int PF_GR_NR = 3;               // u32
        public static final int PF_GR_TICKET = 4;           // u32
        public static final int PF_GR_CLEAR = 5;            // u8

        private GetRules() {
        }
    }

    /** {@code enum pf_rule_type_t}: the attributes of a PFNL_CMD_GETRULE reply (the ones pfmeter reads). */
    public static final class Rule {
        public static final int PF_RT_RIDENTIFIER = 3;      // u32
        public static final int PF_RT_LABELS = 4;           // nested pf_labels_type_t
        public static final int PF_RT_IFNAME = 5;           // string
        public static final int PF_RT_NR = 23;              // u32
        public static final int PF_RT_ACTION = 34;          // u8
        public static final int PF_RT_DIRECTION = 35;       // u8
        public static final int PF_RT_QUICK = 38;           // u8
        public static final int PF_RT_AF = 43;              // u8
        public static final int PF_RT_PROTO = 44;           // u8
        public static final int PF_RT_PACKETS_IN = 63;      // u64
        public static final int PF_RT_PACKETS_OUT = 64;     // u64
        public static final int PF_RT_BYTES_IN = 65;        // u64
        public static final int PF_RT_BYTES_OUT = 66;       // u64
        public static final int PF_RT_EVALUATIONS = 67;     // u64
        public static final int PF_RT_TIMESTAMP = 68;       // u64
        public static final int PF_RT_STATES_CUR = 69;      // u64
        public static final int PF_RT_STATES_TOTAL = 70;    // u64
        public static final int PF_RT_SRC_NODES = 71;       // u64
        public static final int PF_RT_ANCHOR_CALL = 72;     // string
        public static final int PF_RT_SRC_NODES_LIMIT = 79; // u64
        public static final int PF_RT_SRC_NODES_NAT = 80;   // u64
        public static final int PF_RT_SRC_NODES_ROUTE = 81; // u64

        private Rule() {
        }
    }

    /** {@code enum pf_labels_type_t}: one PF_LT_LABEL string per non-empty label, at most 5. */
    public static final class Labels {
        public static final int PF_LT_LABEL = 1;
        /** {@code PF_RULE_MAX_LABEL_COUNT} (net/pfvar.h). */
        public static final int PF_RULE_MAX_LABEL_COUNT = 5;
        /** {@code PF_RULE_LABEL_SIZE} (net/pfvar.h), NUL included. */
        public static final int PF_RULE_LABEL_SIZE = 64;

        private Labels() {
        }
    }

    /** {@code enum pf_timeout_types_t}: PFNL_CMD_GET_TIMEOUT asks with PF_TO_TIMEOUT, answers PF_TO_SECONDS. */
    public static final class Timeout {
        public static final int PF_TO_TIMEOUT = 1;          // u32, a PFTM_* index
        public static final int PF_TO_SECONDS = 2;          // u32

        private Timeout() {
        }
    }

    /** {@code enum pf_limit_types_t}: PFNL_CMD_GET_LIMIT asks with PF_LI_INDEX, answers PF_LI_LIMIT. */
    public static final class Limit {
        public static final int PF_LI_INDEX = 1;            // u32, a PF_LIMIT_* index
        public static final int PF_LI_LIMIT = 2;            // u32

        private Limit() {
        }
    }

    /** {@code enum pf_get_rulesets_types_t}: PFNL_CMD_GET_RULESETS / GET_RULESET. */
    public static final class Rulesets {
        public static final int PF_RS_PATH = 1;             // string
        public static final int PF_RS_NR = 2;               // u32
        public static final int PF_RS_NAME = 3;             // string

        private Rulesets() {
        }
    }

    /** {@code enum pf_tables_t}: the table filter of PFNL_CMD_GET_TSTATS, and the nested PF_TS_TABLE. */
    public static final class Tables {
        public static final int PF_T_ANCHOR = 1;            // string
        public static final int PF_T_NAME = 2;              // string
        public static final int PF_T_TABLE_FLAGS = 3;       // u32
        public static final int PF_T_FLAGS = 4;             // u32, PFR_FLAG_*

        private Tables() {
        }
    }

    /** {@code enum pf_tstats_t}: one message per table in the PFNL_CMD_GET_TSTATS dump. */
    public static final class Tstats {
        public static final int PF_TS_TABLE = 1;            // nested pf_tables_t
        public static final int PF_TS_PACKETS = 2;          // nested u64 elements, [dir][op]
        public static final int PF_TS_BYTES = 3;            // nested u64 elements, [dir][op]
        public static final int PF_TS_MATCH = 4;            // u64
        public static final int PF_TS_NOMATCH = 5;          // u64
        public static final int PF_TS_TZERO = 6;            // u64
        public static final int PF_TS_CNT = 7;              // u64
        public static final int PF_TS_REFCNT = 8;           // nested u64 elements

        private Tstats() {
        }
    }

    /** {@code enum pf_threshold_types_t}: nested in PF_SN_CONNECTION_RATE. */
    public static final class Threshold {
        public static final int PF_TH_LIMIT = 1;            // u32
        public static final int PF_TH_SECONDS = 2;          // u32
        public static final int PF_TH_COUNT = 3;            // u32
        public static final int PF_TH_LAST = 4;             // u32

        private Threshold() {
        }
    }

    /** {@code enum pf_srcnodes_types_t}: one message per node in the PFNL_CMD_GET_SRCNODES dump. */
    public static final class SrcNodes {
        public static final int PF_SN_ADDR = 1;             // in6_addr
        public static final int PF_SN_RADDR = 2;            // in6_addr
        public static final int PF_SN_RULE_NR = 3;          // u32
        public static final int PF_SN_BYTES_IN = 4;         // u64
        public static final int PF_SN_BYTES_OUT = 5;        // u64
        public static final int PF_SN_PACKETS_IN = 6;       // u64
        public static final int PF_SN_PACKETS_OUT = 7;      // u64
        public static final int PF_SN_STATES = 8;           // u32
        public static final int PF_SN_CONNECTIONS = 9;      // u32
        public static final int PF_SN_AF = 10;              // u8
        public static final int PF_SN_RULE_TYPE = 11;       // u8
        public static final int PF_SN_CREATION = 12;        // u64
        public static final int PF_SN_EXPIRE = 13;          // u64
        public static final int PF_SN_CONNECTION_RATE = 14; // nested pf_threshold_types_t
        public static final int PF_SN_RAF = 15;             // u8 (PF_SN_NAF in older revisions)
        public static final int PF_SN_NODE_TYPE = 16;       // u8

        private SrcNodes() {
        }
    }

    /** {@code enum pfstate_key_type_t}: a state key, nested in PF_ST_KEY_WIRE / PF_ST_KEY_STACK. */
    public static final class StateKey {
        public static final int PF_STK_ADDR0 = 1;           // 4 bytes (AF_INET) or 16 (AF_INET6), as dump_addr() writes
        public static final int PF_STK_ADDR1 = 2;           // likewise
        public static final int PF_STK_PORT0 = 3;           // u16, network order as the kernel keeps it
        public static final int PF_STK_PORT1 = 4;           // u16
        public static final int PF_STK_AF = 5;              // u8
        public static final int PF_STK_PROTO = 6;           // u16

        private StateKey() {
        }
    }

    /** {@code enum pfstate_peer_type_t}: a state peer, nested in PF_ST_PEER_SRC / PF_ST_PEER_DST. */
    public static final class StatePeer {
        public static final int PF_STP_PFSS_FLAGS = 1;      // u16 (only with scrub)
        public static final int PF_STP_PFSS_TTL = 2;        // u8 (only with scrub)
        public static final int PF_STP_SCRUB_FLAG = 3;      // u8 (only with scrub)
        public static final int PF_STP_PFSS_TS_MOD = 4;     // u32 (only with scrub)
        public static final int PF_STP_SEQLO = 5;           // u32
        public static final int PF_STP_SEQHI = 6;           // u32
        public static final int PF_STP_SEQDIFF = 7;         // u32
        public static final int PF_STP_MAX_WIN = 8;         // u16
        public static final int PF_STP_MSS = 9;             // u16
        public static final int PF_STP_STATE = 10;          // u8, the TCP peer state (or PFUDPS_* / PFOTHERS_*)
        public static final int PF_STP_WSCALE = 11;         // u8

        private StatePeer() {
        }
    }

    /**
     * {@code enum pfstate_type_t}: one message per state in the PFNL_CMD_GETSTATES dump (dump_state()
     * in pf_nl.c), and the filter attributes of the request. Where the header's comment and the
     * writer differ, the writer wins: PF_ST_ID is written as u64, PF_ST_STATE_FLAGS as u16.
     */
    public static final class State {
        public static final int PF_ST_ID = 1;               // u64 in a reply (u32 as a request filter)
        public static final int PF_ST_CREATORID = 2;        // u32, htonl()ed
        public static final int PF_ST_IFNAME = 3;           // string
        public static final int PF_ST_ORIG_IFNAME = 4;      // string
        public static final int PF_ST_KEY_WIRE = 5;         // nested pfstate_key_type_t
        public static final int PF_ST_KEY_STACK = 6;        // nested pfstate_key_type_t
        public static final int PF_ST_PEER_SRC = 7;         // nested pfstate_peer_type_t
        public static final int PF_ST_PEER_DST = 8;         // nested pfstate_peer_type_t
        public static final int PF_ST_RT_ADDR = 9;          // 4 or 16 bytes; absent without route-to
        public static final int PF_ST_RULE = 10;            // u32, the rule's nr, 0xffffffff for none
        public static final int PF_ST_ANCHOR = 11;          // u32, the anchor rule's nr, 0xffffffff for none
        public static final int PF_ST_NAT_RULE = 12;        // u32
        public static final int PF_ST_CREATION = 13;        // u32, the state's age in seconds
        public static final int PF_ST_EXPIRE = 14;          // u32, seconds until it expires
        public static final int PF_ST_PACKETS0 = 15;        // u64
        public static final int PF_ST_PACKETS1 = 16;        // u64
        public static final int PF_ST_BYTES0 = 17;          // u64
        public static final int PF_ST_BYTES1 = 18;          // u64
        public static final int PF_ST_AF = 19;              // u8
        public static final int PF_ST_PROTO = 21;           // u8 (20 is unused)
        public static final int PF_ST_DIRECTION = 22;       // u8, PF_IN 1 / PF_OUT 2
        public static final int PF_ST_LOG = 23;             // u8
        public static final int PF_ST_TIMEOUT = 24;         // u8
        public static final int PF_ST_STATE_FLAGS = 25;     // u16 as written (u8 in the header's comment)
        public static final int PF_ST_SYNC_FLAGS = 26;      // u8
        public static final int PF_ST_UPDATES = 27;         // u8
        public static final int PF_ST_VERSION = 28;         // u64, PF_STATE_VERSION
        public static final int PF_ST_FILTER_ADDR = 29;     // in6_addr (request filter)
        public static final int PF_ST_FILTER_MASK = 30;     // in6_addr (request filter)
        public static final int PF_ST_RTABLEID = 31;        // i32
        public static final int PF_ST_MIN_TTL = 32;         // u8
        public static final int PF_ST_MAX_MSS = 33;         // u16
        public static final int PF_ST_DNPIPE = 34;          // u16
        public static final int PF_ST_DNRPIPE = 35;         // u16
        public static final int PF_ST_RT = 36;              // u8
        public static final int PF_ST_RT_IFNAME = 37;       // string, only with route-to
        public static final int PF_ST_SRC_NODE_FLAGS = 38;  // u8
        public static final int PF_ST_RT_AF = 39;           // u8

        private State() {
        }
    }

    /** {@code enum pf_limit_rate_t}: nested in PF_SL_RATE / PF_SCL_RATE. */
    public static final class LimitRate {
        public static final int PF_LR_LIMIT = 1;            // u32
        public static final int PF_LR_SECONDS = 2;          // u32

        private LimitRate() {
        }
    }

    /** {@code enum pf_state_limit_t}: the state limiters (main only). */
    public static final class StateLimit {
        public static final int PF_SL_TICKET = 1;           // u32
        public static final int PF_SL_NAME = 2;             // string
        public static final int PF_SL_ID = 3;               // u32
        public static final int PF_SL_LIMIT = 4;            // u32
        public static final int PF_SL_RATE = 5;             // nested pf_limit_rate_t
        public static final int PF_SL_DESCR = 6;            // string
        public static final int PF_SL_INUSE = 7;            // u32
        public static final int PF_SL_ADMITTED = 8;         // u64
        public static final int PF_SL_HARDLIMITED = 9;      // u64
        public static final int PF_SL_RATELIMITED = 10;     // u64

        private StateLimit() {
        }
    }

    /** {@code enum pf_source_limit_t}: the source limiters (main only). */
    public static final class SourceLimit {
        public static final int PF_SCL_TICKET = 1;          // u32
        public static final int PF_SCL_NAME = 2;            // string
        public static final int PF_SCL_ID = 3;              // u32
        public static final int PF_SCL_ENTRIES = 4;         // u32
        public static final int PF_SCL_LIMIT = 5;           // u32
        public static final int PF_SCL_RATE = 6;            // nested pf_limit_rate_t
        public static final int PF_SCL_OVERLOAD_TBL_NAME = 7; // string
        public static final int PF_SCL_OVERLOAD_HIGH_WM = 8; // u32
        public static final int PF_SCL_OVERLOAD_LOW_WM = 9; // u32
        public static final int PF_SCL_INET_PREFIX = 10;    // u32
        public static final int PF_SCL_INET6_PREFIX = 11;   // u32
        public static final int PF_SCL_DESCR = 12;          // string
        public static final int PF_SCL_NENTRIES = 13;       // u32
        public static final int PF_SCL_INUSE = 14;          // u32
        public static final int PF_SCL_ADDR_ALLOCS = 15;    // u64
        public static final int PF_SCL_ADDR_NOMEM = 16;     // u64
        public static final int PF_SCL_ADMITTED = 17;       // u64
        public static final int PF_SCL_ADDRLIMITED = 18;    // u64
        public static final int PF_SCL_HARDLIMITED = 19;    // u64
        public static final int PF_SCL_RATELIMITED = 20;    // u64

        private SourceLimit() {
        }
    }

    /** {@code enum pf_source_t}: one address entry of a source limiter (PFNL_CMD_SOURCE_GET / _NGET). */
    public static final class Source {
        public static final int PF_SRC_NAME = 1;            // string, the limiter's name
        public static final int PF_SRC_ID = 2;              // u32, the limiter's id
        public static final int PF_SRC_AF = 3;              // u8
        public static final int PF_SRC_RDOMAIN = 4;         // u32
        public static final int PF_SRC_ADDR = 5;            // in6_addr (16 bytes; an IPv4 address in the first 4)
        public static final int PF_SRC_INUSE = 6;           // u32
        public static final int PF_SRC_ADMITTED = 7;        // u64
        public static final int PF_SRC_HARDLIMITED = 8;     // u64
        public static final int PF_SRC_RATELIMITED = 9;     // u64
        public static final int PF_SRC_LIMIT = 10;          // u32
        public static final int PF_SRC_INET_PREFIX = 11;    // u32
        public static final int PF_SRC_INET6_PREFIX = 12;   // u32

        private Source() {
        }
    }
}
