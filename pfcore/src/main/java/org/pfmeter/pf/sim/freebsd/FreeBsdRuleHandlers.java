package org.pfmeter.pf.sim.freebsd;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pfmeter.pf.abi.netlink.FreeBsdErrno;
import org.pfmeter.pf.abi.netlink.PfNl;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.sim.SimKernelView;

/**
 * The rule walk as pf_nl.c answers it. {@code pf_handle_getrules}: the ruleset's rule count
 * ({@code tail->nr + 1}) and its <em>active</em> ticket, which only a commit moves (there is no
 * per-walk transaction as on OpenBSD, and nothing to end); an unknown anchor or an action naming no
 * ruleset is EINVAL. {@code pf_handle_getrule}: ENOENT for an unknown anchor, EINVAL for a bad action,
 * EBUSY when the ticket is no longer the active one (the ruleset was replaced) or no rule has that
 * number; otherwise every attribute of the rule, in the order the kernel writes them (main's
 * pf_nl.c 0795e9b5; {@code freebsd-14.3} without those numbered 75 and up, see
 * {@link SimulatedRelease}). PF_GR_CLEAR is not simulated: the counters are not cleared.
 */
final class FreeBsdRuleHandlers {

    // enum pf_rule_type_t (pf_nl.h), beyond what PfNl names
    static final int PF_RT_SRC = 1;
    static final int PF_RT_DST = 2;
    static final int PF_RT_QNAME = 6;
    static final int PF_RT_PQNAME = 7;
    static final int PF_RT_TAGNAME = 8;
    static final int PF_RT_MATCH_TAGNAME = 9;
    static final int PF_RT_OVERLOAD_TBLNAME = 10;
    static final int PF_RT_RPOOL_RDR = 11;
    static final int PF_RT_OS_FINGERPRINT = 12;
    static final int PF_RT_RTABLEID = 13;
    static final int PF_RT_TIMEOUT = 14;
    static final int PF_RT_MAX_STATES = 15;
    static final int PF_RT_MAX_SRC_NODES = 16;
    static final int PF_RT_MAX_SRC_STATES = 17;
    static final int PF_RT_MAX_SRC_CONN_RATE_LIMIT = 18;
    static final int PF_RT_MAX_SRC_CONN_RATE_SECS = 19;
    static final int PF_RT_DNPIPE = 20;
    static final int PF_RT_DNRPIPE = 21;
    static final int PF_RT_DNFLAGS = 22;
    static final int PF_RT_PROB = 24;
    static final int PF_RT_CUID = 25;
    static final int PF_RT_CPID = 26;
    static final int PF_RT_RETURN_ICMP = 27;
    static final int PF_RT_RETURN_ICMP6 = 28;
    static final int PF_RT_MAX_MSS = 29;
    static final int PF_RT_SCRUB_FLAGS = 30;
    static final int PF_RT_UID = 31;
    static final int PF_RT_GID = 32;
    static final int PF_RT_RULE_FLAG = 33;
    static final int PF_RT_LOG = 36;
    static final int PF_RT_LOGIF = 37;
    static final int PF_RT_IF_NOT = 39;
    static final int PF_RT_MATCH_TAG_NOT = 40;
    static final int PF_RT_NATPASS = 41;
    static final int PF_RT_KEEP_STATE = 42;
    static final int PF_RT_TYPE = 45;
    static final int PF_RT_CODE = 46;
    static final int PF_RT_FLAGS = 47;
    static final int PF_RT_FLAGSET = 48;
    static final int PF_RT_MIN_TTL = 49;
    static final int PF_RT_ALLOW_OPTS = 50;
    static final int PF_RT_RT = 51;
    static final int PF_RT_RETURN_TTL = 52;
    static final int PF_RT_TOS = 53;
    static final int PF_RT_SET_TOS = 54;
    static final int PF_RT_ANCHOR_RELATIVE = 55;
    static final int PF_RT_ANCHOR_WILDCARD = 56;
    static final int PF_RT_FLUSH = 57;
    static final int PF_RT_PRIO = 58;
    static final int PF_RT_SET_PRIO = 59;
    static final int PF_RT_SET_PRIO_REPLY = 60;
    static final int PF_RT_DIVERT_ADDRESS = 61;
    static final int PF_RT_DIVERT_PORT = 62;
    static final int PF_RT_RCV_IFNAME = 73;
    static final int PF_RT_MAX_SRC_CONN = 74;
    static final int PF_RT_RPOOL_NAT = 75;
    static final int PF_RT_NAF = 76;
    static final int PF_RT_RPOOL_RT = 77;
    static final int PF_RT_RCV_IFNOT = 78;
    static final int PF_RT_PKTRATE = 82;
    static final int PF_RT_MAX_PKT_SIZE = 83;
    static final int PF_RT_TYPE_2 = 84;
    static final int PF_RT_CODE_2 = 85;
    static final int PF_RT_EXPTIME = 86;
    // enum pfrule_addr_type_t, pf_addr_type_t, pf_rpool_type_t, pf_mape_portset_type_t, pf_rule_uid_type_t
    static final int PF_RAT_ADDR = 1;
    static final int PF_RAT_SRC_PORT = 2;
    static final int PF_RAT_DST_PORT = 3;
    static final int PF_RAT_NEG = 4;
    static final int PF_RAT_OP = 5;
    static final int PF_AT_ADDR = 1;
    static final int PF_AT_MASK = 2;
    static final int PF_AT_TABLENAME = 4;
    static final int PF_AT_TYPE = 5;
    static final int PF_AT_IFLAGS = 6;
    static final int PF_AT_TBLCNT = 7;
    static final int PF_PT_KEY = 1;
    static final int PF_PT_COUNTER = 2;
    static final int PF_PT_TBLIDX = 3;
    static final int PF_PT_PROXY_SRC_PORT = 4;
    static final int PF_PT_PROXY_DST_PORT = 5;
    static final int PF_PT_OPTS = 6;
    static final int PF_PT_MAPE = 7;
    static final int PF_MET_OFFSET = 1;
    static final int PF_MET_PSID_LEN = 2;
    static final int PF_MET_PSID = 3;
    static final int PF_RUT_UID_LOW = 1;
    static final int PF_RUT_UID_HIGH = 2;
    static final int PF_RUT_OP = 3;

    /** pf.h: PF_ADDR_ADDRMASK, PF_ADDR_TABLE; PF_OP_EQ; PF_STATE_NORMAL; the rulesets by number. */
    static final int PF_ADDR_ADDRMASK = 0;
    static final int PF_ADDR_TABLE = 3;
    static final int PF_OP_EQ = 2;
    static final int PF_STATE_NORMAL = 1;
    static final int PF_RULESET_FILTER = 1;
    static final int PF_RULESET_MAX = 5;
    /** TH_SYN and TH_SYN|TH_ACK: "flags S/SA", keep state's default for TCP. */
    static final int TH_SYN = 0x02;
    static final int TH_SYN_ACK = 0x12;
    static final int IPPROTO_TCP = 6;

    private final SimulatedFreeBsd sim;
    /** The walk being read: its ruleset, ticket, and what each rule read in it was booked as before. */
    private int walkRuleset = -1;
    private long walkTicket = -1;
    private final Map<Integer, long[]> walkBooked = new LinkedHashMap<>();

    FreeBsdRuleHandlers(SimulatedFreeBsd sim) {
        this.sim = sim;
    }

    /** pf_get_ruleset_number(). */
    static int rulesetNumber(int action) {
        return switch (action) {
            case 2, 3 -> 0;                    // PF_SCRUB, PF_NOSCRUB
            case 0, 1, 12 -> PF_RULESET_FILTER; // PF_PASS, PF_DROP, PF_MATCH
            case 4, 5 -> 2;                    // PF_NAT, PF_NONAT
            case 6, 7 -> 3;                    // PF_BINAT, PF_NOBINAT
            case 8, 9 -> 4;                    // PF_RDR, PF_NORDR
            default -> PF_RULESET_MAX;
        };
    }

    int getRules(FreeBsdNlRequest r, FreeBsdNlWriter w) {
        String anchor = FreeBsdPfHandlers.path(r.chara(PfNl.GetRules.PF_GR_ANCHOR, FreeBsdPfHandlers.MAXPATHLEN));
        int action = r.u8(PfNl.GetRules.PF_GR_ACTION, 0);
        w.reply(r, 4);
        w.genlHeader(PfNl.Cmd.PFNL_CMD_GETRULES, 0);
        Optional<SimKernelView.Ruleset> rs = sim.kernel().ruleset(anchor);
        int rsNum = rulesetNumber(action);
        if (rs.isEmpty() || rsNum >= PF_RULESET_MAX) {
            w.abort();
            return FreeBsdErrno.EINVAL;
        }
        boolean filter = rsNum == PF_RULESET_FILTER;
        w.u32(PfNl.GetRules.PF_GR_NR, filter ? rs.get().ruleCount() : 0);
        w.u32(PfNl.GetRules.PF_GR_TICKET, ticket(rs.get(), rsNum));
        w.end();
        return 0;
    }

    /** The active ticket of one of a ruleset's rulesets: moves with every commit. */
    private long ticket(SimKernelView.Ruleset rs, int rsNum) {
        return (sim.kernel().version(rs.index()) * PF_RULESET_MAX + rsNum) & 0xffff_ffffL;
    }

    int getRule(FreeBsdNlRequest r, FreeBsdNlWriter w) {
        String anchor = FreeBsdPfHandlers.path(r.chara(PfNl.GetRules.PF_GR_ANCHOR, FreeBsdPfHandlers.MAXPATHLEN));
        int action = r.u8(PfNl.GetRules.PF_GR_ACTION, 0);
        long nr = r.u32(PfNl.GetRules.PF_GR_NR, 0);
        long ticket = r.u32(PfNl.GetRules.PF_GR_TICKET, 0);
        r.u8(PfNl.GetRules.PF_GR_CLEAR, 0);
        w.reply(r, 4);
        w.genlHeader(PfNl.Cmd.PFNL_CMD_GETRULE, 0);
        Optional<SimKernelView.Ruleset> rs = sim.kernel().ruleset(anchor);
        if (nr >= 1 && rs.isPresent()) {
            // RELOAD_MID_DUMP: a commit between two GETRULEs of a walk. The rows this walk returned go
            // with the walk its reader abandons on EBUSY: booked as unseen again before the reset.
            int index = rs.get().index();
            sim.reloadIfArmed(() -> {
                if (index == walkRuleset && ticket == walkTicket) {
                    walkBooked.forEach((i, b) -> sim.kernel().unread(i, b));
                }
            });
        }
        if (rs.isEmpty()) {
            w.abort();
            return FreeBsdErrno.ENOENT;
        }
        int rsNum = rulesetNumber(action);
        if (rsNum >= PF_RULESET_MAX) {
            w.abort();
            return FreeBsdErrno.EINVAL;
        }
        if (ticket != ticket(rs.get(), rsNum)) {
            w.abort();
            return FreeBsdErrno.EBUSY;
        }
        if (rsNum != PF_RULESET_FILTER || nr >= rs.get().ruleCount()) {
            w.abort();
            return FreeBsdErrno.EBUSY;
        }
        int i = rs.get().firstRule() + (int) nr;
        if (walkRuleset != rs.get().index() || walkTicket != ticket) {
            walkRuleset = rs.get().index();
            walkTicket = ticket;
            walkBooked.clear();
        }
        walkBooked.putIfAbsent(i, sim.kernel().booked(i));
        SimKernelView.RuleDef def = sim.kernel().rule(i);
        RuleCounters c = sim.kernel().readRule(i);
        writeRule(w, def, c, rs.get().path());
        w.end();
        return 0;
    }

    private void writeRule(FreeBsdNlWriter w, SimKernelView.RuleDef def, RuleCounters c, String anchor) {
        boolean fifteen = sim.profile().fifteen();
        int af = def.af() == FreeBsdPfHandlers.OPENBSD_AF_INET6 ? FreeBsdPfHandlers.FREEBSD_AF_INET6 : def.af();
        ruleAddr(w, PF_RT_SRC, def.srcTable(), anchor, 0);
        ruleAddr(w, PF_RT_DST, def.dstTable(), anchor, def.dstPort());
        w.u32(PfNl.Rule.PF_RT_RIDENTIFIER, sim.labels().ridentifier(def.index()));
        int labels = w.nested(PfNl.Rule.PF_RT_LABELS);
        for (String l : sim.labels().labels(def.index())) {
            w.string(PfNl.Labels.PF_LT_LABEL, l);
        }
        w.endNested(labels);
        w.string(PfNl.Rule.PF_RT_IFNAME, def.ifname());
        w.string(PF_RT_QNAME, def.qname());
        w.string(PF_RT_PQNAME, "");
        w.string(PF_RT_TAGNAME, "");
        w.string(PF_RT_MATCH_TAGNAME, "");
        w.string(PF_RT_OVERLOAD_TBLNAME, "");
        pool(w, PF_RT_RPOOL_RDR);
        if (fifteen) {
            pool(w, PF_RT_RPOOL_NAT);
            pool(w, PF_RT_RPOOL_RT);
        }
        w.u32(PF_RT_OS_FINGERPRINT, 0);
        w.u32(PF_RT_RTABLEID, 0xffff_ffffL);     // -1: the default routing table
        int timeouts = w.nested(PF_RT_TIMEOUT);
        for (int t = 0; t < FreeBsdPfHandlers.PFTM_MAX; t++) {
            w.u32(PF_RT_TIMEOUT, 0);              // nlattr_add_timeout types each element PF_RT_TIMEOUT
        }
        w.endNested(timeouts);
        w.u32(PF_RT_MAX_STATES, 0);
        w.u32(PF_RT_MAX_SRC_NODES, 0);
        w.u32(PF_RT_MAX_SRC_STATES, 0);
        w.u32(PF_RT_MAX_SRC_CONN, 0);
        w.u32(PF_RT_MAX_SRC_CONN_RATE_LIMIT, 0);
        w.u32(PF_RT_MAX_SRC_CONN_RATE_SECS, 0);
        if (fifteen) {
            w.u16(PF_RT_MAX_PKT_SIZE, 0);
        }
        w.u16(PF_RT_DNPIPE, 0);
        w.u16(PF_RT_DNRPIPE, 0);
        w.u32(PF_RT_DNFLAGS, 0);
        w.u32(PfNl.Rule.PF_RT_NR, def.nr());
        w.u32(PF_RT_PROB, 0);
        w.u32(PF_RT_CUID, 0);
        w.u32(PF_RT_CPID, sim.kernel().loaderPid());
        w.u16(PF_RT_RETURN_ICMP, 0);
        w.u16(PF_RT_RETURN_ICMP6, 0);
        w.u16(PF_RT_RETURN_ICMP6, 0);            // pf_nl.c writes it twice
        w.u16(PF_RT_MAX_MSS, 0);
        w.u16(PF_RT_SCRUB_FLAGS, 0);
        uid(w, PF_RT_UID);
        uid(w, PF_RT_GID);
        w.string(PF_RT_RCV_IFNAME, "");
        if (fifteen) {
            w.bool(PF_RT_RCV_IFNOT, false);
        }
        w.u32(PF_RT_RULE_FLAG, 0);
        w.u8(PfNl.Rule.PF_RT_ACTION, def.action());
        w.u8(PfNl.Rule.PF_RT_DIRECTION, def.direction());
        w.u8(PF_RT_LOG, def.log() ? 1 : 0);
        w.u8(PF_RT_LOGIF, 0);
        w.u8(PfNl.Rule.PF_RT_QUICK, def.quick() ? 1 : 0);
        w.u8(PF_RT_IF_NOT, 0);
        w.u8(PF_RT_MATCH_TAG_NOT, 0);
        w.u8(PF_RT_NATPASS, 0);
        w.u8(PF_RT_KEEP_STATE, def.keepState() ? PF_STATE_NORMAL : 0);
        w.u8(PfNl.Rule.PF_RT_AF, af);
        if (fifteen) {
            w.u8(PF_RT_NAF, 0);
        }
        w.u8(PfNl.Rule.PF_RT_PROTO, def.proto());
        w.u8(PF_RT_TYPE, 0);
        w.u8(PF_RT_CODE, 0);
        if (fifteen) {
            w.u16(PF_RT_TYPE_2, 0);
            w.u16(PF_RT_CODE_2, 0);
        }
        boolean tcpState = def.keepState() && def.proto() == IPPROTO_TCP;
        w.u8(PF_RT_FLAGS, tcpState ? TH_SYN : 0);
        w.u8(PF_RT_FLAGSET, tcpState ? TH_SYN_ACK : 0);
        w.u8(PF_RT_MIN_TTL, 0);
        w.u8(PF_RT_ALLOW_OPTS, 0);
        w.u8(PF_RT_RT, 0);
        w.u8(PF_RT_RETURN_TTL, 0);
        w.u8(PF_RT_TOS, 0);
        w.u8(PF_RT_SET_TOS, 0);
        w.u8(PF_RT_ANCHOR_RELATIVE, 0);
        w.u8(PF_RT_ANCHOR_WILDCARD, 0);
        w.u8(PF_RT_FLUSH, 0);
        w.u8(PF_RT_PRIO, 0);
        w.u8(PF_RT_SET_PRIO, 0);
        w.u8(PF_RT_SET_PRIO_REPLY, 0);
        w.attr(PF_RT_DIVERT_ADDRESS, new byte[16]);
        w.u16(PF_RT_DIVERT_PORT, 0);
        w.u64(PfNl.Rule.PF_RT_PACKETS_IN, c.packetsIn());
        w.u64(PfNl.Rule.PF_RT_PACKETS_OUT, c.packetsOut());
        w.u64(PfNl.Rule.PF_RT_BYTES_IN, c.bytesIn());
        w.u64(PfNl.Rule.PF_RT_BYTES_OUT, c.bytesOut());
        w.u64(PfNl.Rule.PF_RT_EVALUATIONS, c.evaluations());
        w.u64(PfNl.Rule.PF_RT_TIMESTAMP, c.evaluations() == 0 ? 0 : sim.kernel().nowEpoch());
        w.u64(PfNl.Rule.PF_RT_STATES_CUR, c.statesCur());
        w.u64(PfNl.Rule.PF_RT_STATES_TOTAL, c.statesTotal());
        w.u64(PfNl.Rule.PF_RT_SRC_NODES, c.srcNodes());
        if (fifteen) {
            w.u64(PfNl.Rule.PF_RT_SRC_NODES_LIMIT, c.srcNodes());
            w.u64(PfNl.Rule.PF_RT_SRC_NODES_NAT, 0);
            w.u64(PfNl.Rule.PF_RT_SRC_NODES_ROUTE, 0);
            int rate = w.nested(PF_RT_PKTRATE);
            w.u32(PfNl.Threshold.PF_TH_LIMIT, 0);
            w.u32(PfNl.Threshold.PF_TH_SECONDS, 0);
            w.u32(PfNl.Threshold.PF_TH_COUNT, 0);
            w.endNested(rate);
            // time_second - (time_uptime - exptime) with exptime 0: the boot time
            w.timeT(PF_RT_EXPTIME, sim.kernel().bootEpoch());
        }
        w.string(PfNl.Rule.PF_RT_ANCHOR_CALL, def.anchorCall());
    }

    /** nlattr_add_rule_addr: "any", or a table with its entry count (pf_addr_copyout), and the port. */
    private void ruleAddr(FreeBsdNlWriter w, int type, String table, String anchor, int port) {
        int off = w.nested(type);
        int aw = w.nested(PF_RAT_ADDR);
        w.attr(PF_AT_ADDR, new byte[16]);
        w.attr(PF_AT_MASK, new byte[16]);
        w.u8(PF_AT_TYPE, table.isEmpty() ? PF_ADDR_ADDRMASK : PF_ADDR_TABLE);
        w.u8(PF_AT_IFLAGS, 0);
        if (!table.isEmpty()) {
            w.string(PF_AT_TABLENAME, table);
            w.u32(PF_AT_TBLCNT, tableCount(table, anchor));
        }
        w.endNested(aw);
        // port[0], port[1] hold network byte order: the u16 attribute carries their bytes as they are
        w.u16(PF_RAT_SRC_PORT, Integer.reverseBytes(port) >>> 16);
        w.u16(PF_RAT_DST_PORT, 0);
        w.u8(PF_RAT_NEG, 0);
        w.u8(PF_RAT_OP, port == 0 ? 0 : PF_OP_EQ);
        w.endNested(off);
    }

    /** pfrkt_cnt of the table a rule names (its own anchor's, else the main ruleset's); -1 when inactive. */
    private long tableCount(String name, String anchor) {
        if (tableCounts == null) {
            tableCounts = new HashMap<>();
            for (TableStats t : sim.kernel().tables()) {
                tableCounts.put(t.anchor() + "\0" + t.name(), t.active() ? t.addresses() : 0xffff_ffffL);
            }
        }
        Long own = tableCounts.get(anchor + "\0" + name);
        return own != null ? own : tableCounts.getOrDefault("\0" + name, 0xffff_ffffL);
    }

    /** The tables' entry counts, which the topology fixes. */
    private Map<String, Long> tableCounts;

    /** nlattr_add_pool of an unused pool: all zero. */
    private static void pool(FreeBsdNlWriter w, int type) {
        int off = w.nested(type);
        w.attr(PF_PT_KEY, new byte[16]);
        w.attr(PF_PT_COUNTER, new byte[16]);
        w.u32(PF_PT_TBLIDX, 0);
        w.u16(PF_PT_PROXY_SRC_PORT, 0);
        w.u16(PF_PT_PROXY_DST_PORT, 0);
        w.u8(PF_PT_OPTS, 0);
        int mape = w.nested(PF_PT_MAPE);
        w.u8(PF_MET_OFFSET, 0);
        w.u8(PF_MET_PSID_LEN, 0);
        w.u16(PF_MET_PSID, 0);
        w.endNested(mape);
        w.endNested(off);
    }

    private static void uid(FreeBsdNlWriter w, int type) {
        int off = w.nested(type);
        w.u32(PF_RUT_UID_LOW, 0);
        w.u32(PF_RUT_UID_HIGH, 0);
        w.u8(PF_RUT_OP, 0);
        w.endNested(off);
    }
}
