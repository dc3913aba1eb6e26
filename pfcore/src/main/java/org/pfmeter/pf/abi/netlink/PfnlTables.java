package org.pfmeter.pf.abi.netlink;

import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.abi.PfConstants;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableStats;

/**
 * PFNL_CMD_GET_TSTATS as libpfctl's {@code pfctl_get_tstats} calls it: a dump with one message per
 * table ({@code pf_handle_get_tstats}: the nested {@code pfr_table}, the packet and byte counters
 * {@code [PFR_DIR_MAX][PFR_OP_TABLE_MAX]} as u64 arrays, match, nomatch, tzero, cnt and the two
 * reference counts), ended by NLMSG_DONE.
 *
 * <p>FreeBSD's table operations are not OpenBSD's: {@code enum { PFR_OP_BLOCK, PFR_OP_PASS,
 * PFR_OP_ADDR_MAX, PFR_OP_TABLE_MAX }} with {@code PFR_OP_XPASS = PFR_OP_ADDR_MAX}, so each direction
 * has three counters (block, pass, xpass) and no "match". They are placed into the model's
 * [{@link Direction}][{@link TableAction}] matrix by meaning; the model's MATCH column stays 0 for a
 * FreeBSD table (an open point: {@link TableStats} has no way yet to say "not counted").
 */
public final class PfnlTables {

    private static final String WHAT = "PFNL_CMD_GET_TSTATS reply";
    /** FreeBSD's {@code PFR_OP_TABLE_MAX}: block, pass, xpass. */
    static final int FREEBSD_PFR_OP_TABLE_MAX = 3;
    static final int FREEBSD_PFR_OP_BLOCK = 0;
    static final int FREEBSD_PFR_OP_PASS = 1;
    static final int FREEBSD_PFR_OP_XPASS = 2;
    /** {@code PFR_DIR_MAX} (in, out) and {@code PFR_REFCNT_MAX} (rule, anchor) are the same on both systems. */
    private static final int COUNTERS = PfConstants.PFR_DIR_MAX * FREEBSD_PFR_OP_TABLE_MAX;

    private PfnlTables() {
    }

    /** Every table of every ruleset ({@code PFR_FLAG_ALLRSETS}), as {@code pfctl -s Tables -v} asks. */
    public static byte[] request(int familyId, long seq) {
        return NetlinkRequest.genl(familyId, PfNl.Cmd.PFNL_CMD_GET_TSTATS, 0,
                        Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_DUMP, seq)
                .putString(PfNl.Tables.PF_T_ANCHOR, "")
                .putString(PfNl.Tables.PF_T_NAME, "")
                .putU32(PfNl.Tables.PF_T_TABLE_FLAGS, 0)
                .putU32(PfNl.Tables.PF_T_FLAGS, PfConstants.PFR_FLAG_ALLRSETS)
                .toBytes();
    }

    public static TableStats decode(NetlinkMessage m) {
        PfnlRules.expect(m, PfNl.Cmd.PFNL_CMD_GET_TSTATS, "PFNL_CMD_GET_TSTATS");
        NlAttrs a = m.attributes(WHAT);
        NlAttrs t = a.required(PfNl.Tstats.PF_TS_TABLE, "PF_TS_TABLE").nested();
        long[] refcnt = a.required(PfNl.Tstats.PF_TS_REFCNT, "PF_TS_REFCNT").u64Array(PfConstants.PFR_REFCNT_MAX);
        if (refcnt.length != PfConstants.PFR_REFCNT_MAX) {
            throw new MalformedAnswerException(WHAT + ": PF_TS_REFCNT has " + refcnt.length + " elements, "
                    + PfConstants.PFR_REFCNT_MAX + " expected");
        }
        return new TableStats(
                t.first(PfNl.Tables.PF_T_ANCHOR).map(NlAttr::string).orElse(""),
                t.required(PfNl.Tables.PF_T_NAME, "PF_T_NAME").string(),
                (int) t.required(PfNl.Tables.PF_T_TABLE_FLAGS, "PF_T_TABLE_FLAGS").u32(),
                a.required(PfNl.Tstats.PF_TS_CNT, "PF_TS_CNT").u64(),
                a.required(PfNl.Tstats.PF_TS_MATCH, "PF_TS_MATCH").u64(),
                a.required(PfNl.Tstats.PF_TS_NOMATCH, "PF_TS_NOMATCH").u64(),
                counters(a, PfNl.Tstats.PF_TS_PACKETS, "PF_TS_PACKETS"),
                counters(a, PfNl.Tstats.PF_TS_BYTES, "PF_TS_BYTES"),
                a.required(PfNl.Tstats.PF_TS_TZERO, "PF_TS_TZERO").u64(),
                refcnt[PfConstants.PFR_REFCNT_RULE],
                refcnt[PfConstants.PFR_REFCNT_ANCHOR]);
    }

    /** FreeBSD's [dir][block, pass, xpass] as the model's [dir][block, match, pass, xpass]. */
    private static long[] counters(NlAttrs a, int type, String name) {
        long[] v = a.required(type, name).u64Array(COUNTERS);
        if (v.length != COUNTERS) {
            throw new MalformedAnswerException(WHAT + ": " + name + " has " + v.length + " elements, "
                    + COUNTERS + " ([PFR_DIR_MAX][PFR_OP_TABLE_MAX] of FreeBSD) expected");
        }
        long[] out = new long[8];
        for (Direction d : Direction.values()) {
            int from = d.ordinal() * FREEBSD_PFR_OP_TABLE_MAX;
            int to = d.ordinal() * 4;
            out[to + TableAction.BLOCK.ordinal()] = v[from + FREEBSD_PFR_OP_BLOCK];
            out[to + TableAction.PASS.ordinal()] = v[from + FREEBSD_PFR_OP_PASS];
            out[to + TableAction.XPASS.ordinal()] = v[from + FREEBSD_PFR_OP_XPASS];
        }
        return out;
    }
}
