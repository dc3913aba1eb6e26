package org.pfmeter.pf.abi.netlink;

import org.pfmeter.pf.abi.MalformedAnswerException;

/**
 * PFNL_CMD_GETRULES and PFNL_CMD_GETRULE as libpfctl calls them ({@code pfctl_get_rules_info_h},
 * {@code pfctl_get_clear_rule_h}): GETRULES with the anchor and the ruleset's action answers how many
 * rules there are and a ticket; GETRULE then asks for each rule number under that ticket. A stale
 * ticket or a vanished rule answers EBUSY (the ruleset was replaced: start over), an unknown anchor
 * ENOENT, an action that names no ruleset EINVAL.
 */
public final class PfnlRules {

    private static final int READ = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_DUMP;

    /** What GETRULES answers. */
    public record Info(long nr, long ticket) {
    }

    private PfnlRules() {
    }

    /** @param action the ruleset, named by its action as pfctl does ({@code PF_PASS} 0 for the filter rules) */
    public static byte[] getRules(int familyId, long seq, String anchor, int action) {
        return NetlinkRequest.genl(familyId, PfNl.Cmd.PFNL_CMD_GETRULES, 0, READ, seq)
                .putString(PfNl.GetRules.PF_GR_ANCHOR, anchor)
                .putU8(PfNl.GetRules.PF_GR_ACTION, action)
                .toBytes();
    }

    public static Info decodeInfo(NetlinkMessage m) {
        expect(m, PfNl.Cmd.PFNL_CMD_GETRULES, "PFNL_CMD_GETRULES");
        NlAttrs a = m.attributes("PFNL_CMD_GETRULES reply");
        return new Info(a.required(PfNl.GetRules.PF_GR_NR, "PF_GR_NR").u32(),
                a.required(PfNl.GetRules.PF_GR_TICKET, "PF_GR_TICKET").u32());
    }

    /** GETRULE without clearing the rule's counters ({@code PF_GR_CLEAR} 0): pfmeter never clears. */
    public static byte[] getRule(int familyId, long seq, String anchor, int action, long nr, long ticket) {
        return NetlinkRequest.genl(familyId, PfNl.Cmd.PFNL_CMD_GETRULE, 0, READ, seq)
                .putString(PfNl.GetRules.PF_GR_ANCHOR, anchor)
                .putU8(PfNl.GetRules.PF_GR_ACTION, action)
                .putU32(PfNl.GetRules.PF_GR_NR, nr)
                .putU32(PfNl.GetRules.PF_GR_TICKET, ticket)
                .putU8(PfNl.GetRules.PF_GR_CLEAR, 0)
                .toBytes();
    }

    static void expect(NetlinkMessage m, int cmd, String name) {
        if (m.genlCmd() != cmd) {
            throw new MalformedAnswerException(name + " reply: genlmsghdr.cmd is " + m.genlCmd() + ", not " + cmd);
        }
    }
}
