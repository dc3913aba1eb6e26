package org.pfmeter.pf.abi.netlink;

import java.util.ArrayList;
import java.util.List;

import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.model.RuleCounters;

/**
 * One rule from a PFNL_CMD_GETRULE reply: what pfmeter reads of it. FreeBSD rules carry up to five
 * labels ({@code PF_RULE_MAX_LABEL_COUNT}) and a rule identifier ({@code ridentifier}, which pfSense
 * and OPNsense use to tie a rule to their configuration). Counters are unsigned 64-bit.
 *
 * @param labels the non-empty labels in the kernel's order (the kernel sends one PF_LT_LABEL each)
 */
public record PfnlRule(
        long nr,
        long ridentifier,
        List<String> labels,
        String anchorCall,
        long evaluations,
        long packetsIn,
        long packetsOut,
        long bytesIn,
        long bytesOut,
        long statesCur,
        long statesTotal,
        long srcNodes) {

    private static final String WHAT = "PFNL_CMD_GETRULE reply";

    public PfnlRule {
        labels = List.copyOf(labels);
    }

    public static PfnlRule decode(NetlinkMessage m) {
        PfnlRules.expect(m, PfNl.Cmd.PFNL_CMD_GETRULE, "PFNL_CMD_GETRULE");
        NlAttrs a = m.attributes(WHAT);
        List<String> labels = new ArrayList<>();
        for (NlAttr list : a.all(PfNl.Rule.PF_RT_LABELS)) {
            for (NlAttr l : list.nested().all(PfNl.Labels.PF_LT_LABEL)) {
                String label = l.string();
                if (l.payloadLength() > PfNl.Labels.PF_RULE_LABEL_SIZE) {
                    throw new MalformedAnswerException(WHAT + ": label at offset " + l.offset() + " has "
                            + l.payloadLength() + " bytes, more than PF_RULE_LABEL_SIZE ("
                            + PfNl.Labels.PF_RULE_LABEL_SIZE + ")");
                }
                if (!label.isEmpty()) {
                    labels.add(label);
                }
            }
        }
        if (labels.size() > PfNl.Labels.PF_RULE_MAX_LABEL_COUNT) {
            throw new MalformedAnswerException(WHAT + ": " + labels.size() + " labels, at most "
                    + PfNl.Labels.PF_RULE_MAX_LABEL_COUNT + " (PF_RULE_MAX_LABEL_COUNT)");
        }
        return new PfnlRule(
                a.required(PfNl.Rule.PF_RT_NR, "PF_RT_NR").u32(),
                a.first(PfNl.Rule.PF_RT_RIDENTIFIER).map(NlAttr::u32).orElse(0L),
                labels,
                a.first(PfNl.Rule.PF_RT_ANCHOR_CALL).map(NlAttr::string).orElse(""),
                u64(a, PfNl.Rule.PF_RT_EVALUATIONS, "PF_RT_EVALUATIONS"),
                u64(a, PfNl.Rule.PF_RT_PACKETS_IN, "PF_RT_PACKETS_IN"),
                u64(a, PfNl.Rule.PF_RT_PACKETS_OUT, "PF_RT_PACKETS_OUT"),
                u64(a, PfNl.Rule.PF_RT_BYTES_IN, "PF_RT_BYTES_IN"),
                u64(a, PfNl.Rule.PF_RT_BYTES_OUT, "PF_RT_BYTES_OUT"),
                u64(a, PfNl.Rule.PF_RT_STATES_CUR, "PF_RT_STATES_CUR"),
                u64(a, PfNl.Rule.PF_RT_STATES_TOTAL, "PF_RT_STATES_TOTAL"),
                a.first(PfNl.Rule.PF_RT_SRC_NODES).map(NlAttr::u64).orElse(0L));
    }

    private static long u64(NlAttrs a, int type, String name) {
        return a.required(type, name).u64();
    }

    /**
     * The rule as the per-label model counts it: one {@link RuleCounters} per label, each with the
     * rule's full counters, so a rule with two labels counts in both (and in one unlabelled row when
     * it has none). Summed per (anchor, label) by {@code PfProtocol.labels}.
     */
    public List<RuleCounters> labelRows(String anchor) {
        List<String> each = labels.isEmpty() ? List.of("") : labels;
        List<RuleCounters> rows = new ArrayList<>(each.size());
        for (String label : each) {
            rows.add(new RuleCounters(anchor, (int) nr, label, anchorCall, evaluations, packetsIn, packetsOut,
                    bytesIn, bytesOut, statesCur, statesTotal, srcNodes));
        }
        return rows;
    }
}
