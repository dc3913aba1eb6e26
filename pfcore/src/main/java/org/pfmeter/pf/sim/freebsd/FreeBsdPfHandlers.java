package org.pfmeter.pf.sim.freebsd;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.pfmeter.pf.abi.PfConstants;
import org.pfmeter.pf.abi.PfSrcNode;
import org.pfmeter.pf.abi.netlink.FreeBsdErrno;
import org.pfmeter.pf.abi.netlink.Netlink;
import org.pfmeter.pf.abi.netlink.PfNl;
import org.pfmeter.pf.model.KernelCounters;
import org.pfmeter.pf.model.SourceNodeKind;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.sim.SimKernelView;

/**
 * pf_nl.c's read handlers other than the rule walk, writing what {@code pf_handle_get_status},
 * {@code pf_handle_get_limit}, {@code pf_handle_get_timeout}, {@code pf_handle_get_rulesets},
 * {@code pf_handle_get_ruleset}, {@code pf_handle_get_tstats} and {@code pf_handle_get_srcnodes}
 * write, in their order, from the shared simulated kernel. The kernel keeps OpenBSD's tables; they
 * are sent under FreeBSD's own names and numbering (below).
 */
final class FreeBsdPfHandlers {

    /** PFRES_NAMES of FreeBSD's pf.h (PFRES_MAX 16). */
    static final List<String> PFRES_NAMES = List.of("match", "bad-offset", "fragment", "short", "normalize", "memory",
            "bad-timestamp", "congestion", "ip-option", "proto-cksum", "state-mismatch", "state-insert",
            "state-limit", "src-limit", "synproxy", "map-failed");
    /** KLCNT_NAMES (KLCNT_MAX 10): pf_handle_get_status sends the three syncookie counters too. */
    static final List<String> KLCNT_NAMES = List.of("max states per rule", "max-src-states", "max-src-nodes",
            "max-src-conn", "max-src-conn-rate", "overload table insertion", "overload flush states",
            "synfloods detected", "syncookies sent", "syncookies validated");
    /** FCNT_NAMES, sent for the state, source-node and fragment operation tables alike. */
    static final List<String> FCNT_NAMES = List.of("searches", "inserts", "removals");
    /** FreeBSD's PF_LIMIT_MAX: states, src-nodes, frags, table-entries. */
    static final int PF_LIMIT_MAX = 4;
    /** FreeBSD's PFTM_MAX: OpenBSD's 20 timeouts, then the five SCTP ones (PFTM_SCTP_FIRST_PACKET 20 …). */
    static final int PFTM_MAX = 25;
    /** The SCTP timeouts' values: the simulator gives them TCP's defaults (first packet, opening, established, closing, closed). */
    static final long[] SCTP_TIMEOUTS = {120, 30, 86_400, 900, 90};
    /** PF_DEBUG_URGENT, FreeBSD's default debug level. */
    static final int PF_DEBUG_URGENT = 1;
    static final int FREEBSD_AF_INET = 2;
    static final int FREEBSD_AF_INET6 = 28;
    /** OpenBSD's AF_INET6, as the shared kernel numbers its families. */
    static final int OPENBSD_AF_INET6 = 24;
    static final int MAXPATHLEN = 1024;
    static final int PF_TABLE_NAME_SIZE = 32;

    private final SimulatedFreeBsd sim;

    FreeBsdPfHandlers(SimulatedFreeBsd sim) {
        this.sim = sim;
    }

    private SimKernelView kernel() {
        return sim.kernel();
    }

    // ---- PFNL_CMD_GET_STATUS

    int getStatus(FreeBsdNlRequest r, FreeBsdNlWriter w) {
        Status s = kernel().status();
        w.reply(r, 4);
        w.genlHeader(PfNl.Cmd.PFNL_CMD_GET_STATUS, 0);
        w.string(PfNl.GetStatus.PF_GS_IFNAME, s.logInterface().ifname());
        w.bool(PfNl.GetStatus.PF_GS_RUNNING, s.running());
        w.u32(PfNl.GetStatus.PF_GS_SINCE, sim.sinceWallClock());
        w.u32(PfNl.GetStatus.PF_GS_DEBUG, PF_DEBUG_URGENT);
        w.u32(PfNl.GetStatus.PF_GS_HOSTID, Integer.reverseBytes((int) s.hostid()) & 0xffff_ffffL);
        w.u32(PfNl.GetStatus.PF_GS_STATES, s.states());
        w.u32(PfNl.GetStatus.PF_GS_SRC_NODES, s.srcNodes());
        w.u32(PfNl.GetStatus.PF_GS_REASSEMBLE, s.reass());
        w.u32(PfNl.GetStatus.PF_GS_SYNCOOKIES_ACTIVE, s.syncookiesActive() ? 1 : 0);
        counters(w, PfNl.GetStatus.PF_GS_COUNTERS, PFRES_NAMES, reasons(s.counters()));
        counters(w, PfNl.GetStatus.PF_GS_LCOUNTERS, KLCNT_NAMES, byName(s.limitCounters(), KLCNT_NAMES));
        counters(w, PfNl.GetStatus.PF_GS_FCOUNTERS, FCNT_NAMES, byName(s.stateOperations(), FCNT_NAMES));
        counters(w, PfNl.GetStatus.PF_GS_SCOUNTERS, FCNT_NAMES, byName(s.srcNodeOperations(), FCNT_NAMES));
        if (sim.profile().fifteen()) {
            counters(w, PfNl.GetStatus.PF_GS_NCOUNTERS, FCNT_NAMES, byName(s.fragmentOperations(), FCNT_NAMES));
            w.u64(PfNl.GetStatus.PF_GS_FRAGMENTS, s.fragments().orElse(0));
        }
        long[] p = s.logInterface().counters().packetsArray();
        long[] b = s.logInterface().counters().bytesArray();
        // pfi_update_status(): bcounters[af][dir] sums both actions; pcounters[af][dir][pass/block]
        w.u64Array(PfNl.GetStatus.PF_GS_BCOUNTERS, b[0] + b[1], b[2] + b[3], b[4] + b[5], b[6] + b[7]);
        w.u64Array(PfNl.GetStatus.PF_GS_PCOUNTERS, p);
        w.attr(PfNl.GetStatus.PF_GS_CHKSUM, HexFormat.of().parseHex(s.checksum()));
        w.end();
        return 0;
    }

    /** PFRES in FreeBSD's order; "map-failed" (pf_map_addr() failed) takes OpenBSD's "translate" count. */
    private static long[] reasons(KernelCounters c) {
        long[] v = new long[PFRES_NAMES.size()];
        for (int i = 0; i < v.length; i++) {
            String name = PFRES_NAMES.get(i);
            v[i] = c.find(name.equals("map-failed") ? "translate" : name).orElse(0);
        }
        return v;
    }

    private static long[] byName(KernelCounters c, List<String> names) {
        long[] v = new long[names.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = c.find(names.get(i)).orElse(0);
        }
        return v;
    }

    /** nlattr_add_counters: one nested attribute per counter, PF_C_ID, PF_C_NAME, PF_C_COUNTER. */
    private static void counters(FreeBsdNlWriter w, int type, List<String> names, long[] values) {
        for (int i = 0; i < names.size(); i++) {
            int off = w.nested(type);
            w.u32(PfNl.Counter.PF_C_ID, i);
            w.string(PfNl.Counter.PF_C_NAME, names.get(i));
            w.u64(PfNl.Counter.PF_C_COUNTER, values[i]);
            w.endNested(off);
        }
    }

    // ---- PFNL_CMD_GET_LIMIT, PFNL_CMD_GET_TIMEOUT: the errno comes before any reply

    int getLimit(FreeBsdNlRequest r, FreeBsdNlWriter w) {
        long index = r.u32(PfNl.Limit.PF_LI_INDEX, 0);
        if (index >= PF_LIMIT_MAX) {
            return FreeBsdErrno.EINVAL;
        }
        w.reply(r, 4);
        w.genlHeader(PfNl.Cmd.PFNL_CMD_GET_LIMIT, 0);
        w.u32(PfNl.Limit.PF_LI_LIMIT, freebsdLimits(kernel().limits())[(int) index]);
        w.end();
        return 0;
    }

    /** FreeBSD's PF_LIMIT_* from the shared kernel's OpenBSD table (states, src-nodes, frags, tables, table-entries …). */
    static long[] freebsdLimits(long[] openbsd) {
        return new long[] {openbsd[0], openbsd[1], openbsd[2], openbsd[4]};
    }

    int getTimeout(FreeBsdNlRequest r, FreeBsdNlWriter w) {
        long index = r.u32(PfNl.Timeout.PF_TO_TIMEOUT, 0);
        if (index >= PFTM_MAX) {
            return FreeBsdErrno.EINVAL;
        }
        w.reply(r, 4);
        w.genlHeader(PfNl.Cmd.PFNL_CMD_GET_TIMEOUT, 0);
        w.u32(PfNl.Timeout.PF_TO_SECONDS, freebsdTimeouts(kernel().timeouts())[(int) index]);
        w.end();
        return 0;
    }

    static long[] freebsdTimeouts(long[] openbsd) {
        long[] t = new long[PFTM_MAX];
        System.arraycopy(openbsd, 0, t, 0, 20);
        System.arraycopy(SCTP_TIMEOUTS, 0, t, 20, SCTP_TIMEOUTS.length);
        return t;
    }

    // ---- PFNL_CMD_GET_RULESETS, PFNL_CMD_GET_RULESET

    /** pf_find_kruleset(): leading slashes do not count. */
    static String path(String p) {
        int i = 0;
        while (i < p.length() && p.charAt(i) == '/') {
            i++;
        }
        return p.substring(i);
    }

    int getRulesets(FreeBsdNlRequest r, FreeBsdNlWriter w) {
        String path = path(r.chara(PfNl.Rulesets.PF_RS_PATH, MAXPATHLEN));
        Optional<SimKernelView.Ruleset> rs = kernel().ruleset(path);
        if (rs.isEmpty()) {
            return FreeBsdErrno.ENOENT;
        }
        w.reply(r, 4);
        w.genlHeader(PfNl.Cmd.PFNL_CMD_GET_RULESETS, 0);
        w.u32(PfNl.Rulesets.PF_RS_NR, rs.get().children().size());
        w.end();
        return 0;
    }

    int getRuleset(FreeBsdNlRequest r, FreeBsdNlWriter w) {
        String path = path(r.chara(PfNl.Rulesets.PF_RS_PATH, MAXPATHLEN));
        long nr = r.u32(PfNl.Rulesets.PF_RS_NR, 0);
        Optional<SimKernelView.Ruleset> rs = kernel().ruleset(path);
        if (rs.isEmpty()) {
            return FreeBsdErrno.ENOENT;
        }
        if (nr >= rs.get().children().size()) {
            return FreeBsdErrno.EBUSY;
        }
        w.reply(r, 4);
        w.genlHeader(PfNl.Cmd.PFNL_CMD_GET_RULESET, 0);
        w.string(PfNl.Rulesets.PF_RS_NAME, rs.get().children().get((int) nr));
        w.end();
        return 0;
    }

    // ---- PFNL_CMD_GET_TSTATS: a real dump, ended by NLMSG_DONE

    int getTstats(FreeBsdNlRequest r, FreeBsdNlWriter w) {
        String anchor = path(r.chara(PfNl.Tables.PF_T_ANCHOR, MAXPATHLEN));
        r.chara(PfNl.Tables.PF_T_NAME, PF_TABLE_NAME_SIZE);
        long flags = r.u32(PfNl.Tables.PF_T_FLAGS, 0);
        boolean all = (flags & PfConstants.PFR_FLAG_ALLRSETS) != 0;
        r.addFlags(Netlink.NLM_F_MULTI);
        for (TableStats t : kernel().readTables(t -> all || t.anchor().equals(anchor))) {
            w.reply(r, 4);
            w.genlHeader(PfNl.Cmd.PFNL_CMD_GET_TSTATS, 0);
            int off = w.nested(PfNl.Tstats.PF_TS_TABLE);
            w.string(PfNl.Tables.PF_T_ANCHOR, t.anchor());
            w.string(PfNl.Tables.PF_T_NAME, t.name());
            w.u32(PfNl.Tables.PF_T_TABLE_FLAGS, t.flags());
            w.endNested(off);
            w.u64Array(PfNl.Tstats.PF_TS_PACKETS, freebsdOps(t.packets()));
            w.u64Array(PfNl.Tstats.PF_TS_BYTES, freebsdOps(t.bytes()));
            w.u64(PfNl.Tstats.PF_TS_MATCH, t.match());
            w.u64(PfNl.Tstats.PF_TS_NOMATCH, t.nomatch());
            w.u64(PfNl.Tstats.PF_TS_TZERO, t.cleared());
            w.u64(PfNl.Tstats.PF_TS_CNT, t.addresses());
            w.u64Array(PfNl.Tstats.PF_TS_REFCNT, t.refRules(), t.refAnchors());
            w.end();
        }
        w.endDump(0, r);
        return 0;
    }

    /** The model's [dir][block, match, pass, xpass] as FreeBSD's [dir][PFR_OP_BLOCK, PFR_OP_PASS, PFR_OP_XPASS]. */
    static long[] freebsdOps(long[] model) {
        long[] v = new long[6];
        for (int dir = 0; dir < 2; dir++) {
            v[dir * 3] = model[dir * 4 + TableAction.BLOCK.ordinal()];
            v[dir * 3 + 1] = model[dir * 4 + TableAction.PASS.ordinal()];
            v[dir * 3 + 2] = model[dir * 4 + TableAction.XPASS.ordinal()];
        }
        return v;
    }

    // ---- PFNL_CMD_GET_SRCNODES: NLM_F_MULTI messages, then (no NLMSG_DONE) the ACK

    int getSrcnodes(FreeBsdNlRequest r, FreeBsdNlWriter w) {
        r.addFlags(Netlink.NLM_F_MULTI);
        for (PfSrcNode.Encoded n : kernel().sourceNodes()) {
            int af = n.af() == OPENBSD_AF_INET6 ? FREEBSD_AF_INET6 : FREEBSD_AF_INET;
            boolean translated = !isZero(n.raddr());
            w.reply(r, 4);
            w.genlHeader(PfNl.Cmd.PFNL_CMD_GET_SRCNODES, 0);
            w.attr(PfNl.SrcNodes.PF_SN_ADDR, n.addr());
            w.attr(PfNl.SrcNodes.PF_SN_RADDR, n.raddr());
            w.u32(PfNl.SrcNodes.PF_SN_RULE_NR, n.ruleNr());
            w.u64(PfNl.SrcNodes.PF_SN_BYTES_IN, n.bytesIn());
            w.u64(PfNl.SrcNodes.PF_SN_BYTES_OUT, n.bytesOut());
            w.u64(PfNl.SrcNodes.PF_SN_PACKETS_IN, n.packetsIn());
            w.u64(PfNl.SrcNodes.PF_SN_PACKETS_OUT, n.packetsOut());
            w.u32(PfNl.SrcNodes.PF_SN_STATES, n.states());
            w.u32(PfNl.SrcNodes.PF_SN_CONNECTIONS, n.conn());
            w.u8(PfNl.SrcNodes.PF_SN_AF, af);
            w.u8(PfNl.SrcNodes.PF_SN_RAF, translated ? af : 0);
            w.u8(PfNl.SrcNodes.PF_SN_RULE_TYPE, 0);        // PF_PASS: the rule that created it
            w.u64(PfNl.SrcNodes.PF_SN_CREATION, n.creation());
            w.u64(PfNl.SrcNodes.PF_SN_EXPIRE, n.expire());
            int off = w.nested(PfNl.SrcNodes.PF_SN_CONNECTION_RATE);
            w.u32(PfNl.Threshold.PF_TH_LIMIT, n.rateLimit());
            w.u32(PfNl.Threshold.PF_TH_SECONDS, n.rateSeconds());
            w.u32(PfNl.Threshold.PF_TH_COUNT, n.rateCount());
            w.endNested(off);
            w.u8(PfNl.SrcNodes.PF_SN_NODE_TYPE, nodeType(n.type()));
            w.end();
        }
        return 0;
    }

    /** The shared kernel's kinds (SourceNodeKind ordinals) as FreeBSD's PF_SN_LIMIT 0, PF_SN_NAT 1 (nat and rdr), PF_SN_ROUTE 2. */
    static int nodeType(int kind) {
        SourceNodeKind k = SourceNodeKind.values()[kind];
        return switch (k) {
            case NONE -> 0;
            case NAT, RDR -> 1;
            case ROUTE -> 2;
        };
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
