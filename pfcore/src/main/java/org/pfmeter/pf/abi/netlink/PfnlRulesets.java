package org.pfmeter.pf.abi.netlink;

/**
 * PFNL_CMD_GET_RULESETS and GET_RULESET as libpfctl's {@code pfctl_get_rulesets} /
 * {@code pfctl_get_ruleset} call them: how many anchors sit directly below a path, then each one's name.
 * An unknown path answers ENOENT.
 */
public final class PfnlRulesets {

    private static final int READ = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_DUMP;

    private PfnlRulesets() {
    }

    public static byte[] getRulesets(int familyId, long seq, String path) {
        return NetlinkRequest.genl(familyId, PfNl.Cmd.PFNL_CMD_GET_RULESETS, 0, READ, seq)
                .putString(PfNl.Rulesets.PF_RS_PATH, path).toBytes();
    }

    public static long decodeCount(NetlinkMessage m) {
        PfnlRules.expect(m, PfNl.Cmd.PFNL_CMD_GET_RULESETS, "PFNL_CMD_GET_RULESETS");
        return m.attributes("PFNL_CMD_GET_RULESETS reply").required(PfNl.Rulesets.PF_RS_NR, "PF_RS_NR").u32();
    }

    public static byte[] getRuleset(int familyId, long seq, String path, long nr) {
        return NetlinkRequest.genl(familyId, PfNl.Cmd.PFNL_CMD_GET_RULESET, 0, READ, seq)
                .putString(PfNl.Rulesets.PF_RS_PATH, path).putU32(PfNl.Rulesets.PF_RS_NR, nr).toBytes();
    }

    public static String decodeName(NetlinkMessage m) {
        PfnlRules.expect(m, PfNl.Cmd.PFNL_CMD_GET_RULESET, "PFNL_CMD_GET_RULESET");
        return m.attributes("PFNL_CMD_GET_RULESET reply").required(PfNl.Rulesets.PF_RS_NAME, "PF_RS_NAME").string();
    }
}
