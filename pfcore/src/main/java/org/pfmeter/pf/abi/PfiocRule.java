package org.pfmeter.pf.abi;

import static org.pfmeter.pf.abi.CType.U_INT32;
import static org.pfmeter.pf.abi.CType.chars;
import static org.pfmeter.pf.abi.PfConstants.PATH_MAX;
import static org.pfmeter.pf.abi.PfConstants.PF_RULE_LABEL_SIZE;

import java.nio.ByteBuffer;
import org.pfmeter.pf.model.RuleCounters;

/** struct pfioc_rule (DIOCGETRULES, DIOCGETRULE), and the counters pfmeter reads from its pf_rule. */
public final class PfiocRule {

    static CStruct define(CStruct pfRule) {
        return CStruct.struct("pfioc_rule")
                .field("action", U_INT32)              // u_int32_t
                .field("ticket", U_INT32)              // u_int32_t
                .field("nr", U_INT32)                  // u_int32_t
                .field("anchor", chars(PATH_MAX))      // char [PATH_MAX]
                .field("anchor_call", chars(PATH_MAX)) // char [PATH_MAX]
                .field("rule", pfRule)                 // struct pf_rule
                .build();
    }

    private final CStruct layout;
    final int action;
    final int ticket;
    final int nr;
    final int anchor;
    final int anchorCall;
    private final int label;
    private final int evaluations;
    private final int packets;
    private final int bytes;
    private final int statesCur;
    private final int statesTot;
    private final int ruleNr;
    private final int srcNodes;

    PfiocRule(CStruct layout) {
        this.layout = layout;
        action = layout.offset("action");
        ticket = layout.offset("ticket");
        nr = layout.offset("nr");
        anchor = layout.offset("anchor");
        anchorCall = layout.offset("anchor_call");
        label = layout.offset("rule", "label");
        evaluations = layout.offset("rule", "evaluations");
        packets = layout.offset("rule", "packets");
        bytes = layout.offset("rule", "bytes");
        statesCur = layout.offset("rule", "states_cur");
        statesTot = layout.offset("rule", "states_tot");
        ruleNr = layout.offset("rule", "nr");
        srcNodes = layout.offset("rule", "src_nodes");
    }

    public CStruct layout() {
        return layout;
    }

    public int size() {
        return layout.size();
    }

    /** The rule DIOCGETRULE just returned, as counters of the given anchor. */
    public RuleCounters decode(ByteBuffer b, String anchorPath) {
        return new RuleCounters(
                anchorPath,
                (int) NativeBytes.u32(b, nr),
                NativeBytes.cString(b, label, PF_RULE_LABEL_SIZE),
                NativeBytes.cString(b, anchorCall, PATH_MAX),
                NativeBytes.u64(b, evaluations),
                NativeBytes.u64(b, packets),
                NativeBytes.u64(b, packets + 8),
                NativeBytes.u64(b, bytes),
                NativeBytes.u64(b, bytes + 8),
                NativeBytes.u32(b, statesCur),
                NativeBytes.u32(b, statesTot),
                NativeBytes.u32(b, srcNodes));
    }

    /** Writes a rule as DIOCGETRULE returns it (the simulator's side); other pf_rule bytes stay as given. */
    public void encode(RuleCounters r, ByteBuffer b) {
        NativeBytes.putU32(b, nr, r.nr());
        NativeBytes.putU32(b, ruleNr, r.nr());
        NativeBytes.putCString(b, label, PF_RULE_LABEL_SIZE, r.label());
        NativeBytes.putCString(b, anchorCall, PATH_MAX, r.anchorCall());
        NativeBytes.putU64(b, evaluations, r.evaluations());
        NativeBytes.putU64(b, packets, r.packetsIn());
        NativeBytes.putU64(b, packets + 8, r.packetsOut());
        NativeBytes.putU64(b, bytes, r.bytesIn());
        NativeBytes.putU64(b, bytes + 8, r.bytesOut());
        NativeBytes.putU32(b, statesCur, r.statesCur());
        NativeBytes.putU32(b, statesTot, r.statesTotal());
        NativeBytes.putU32(b, srcNodes, r.srcNodes());
    }

    /** Offset of {@code rule} within pfioc_rule: where the embedded pf_rule starts. */
    public int ruleOffset() {
        return layout.offset("rule");
    }
}
