package org.pfmeter.pf.abi.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pfmeter.pf.abi.netlink.HandFrame.concat;
import static org.pfmeter.pf.abi.netlink.HandFrame.genlmsg;
import static org.pfmeter.pf.abi.netlink.HandFrame.nested;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaStr;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU32;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU64;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU8;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.abi.PfProtocol;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.RuleCounters;

/** GETRULES / GETRULE as pf_handle_getrules and pf_handle_getrule write them, built by hand. */
class PfnlRuleTest {

    /**
     * A GETRULE reply with the attributes in the kernel's order around the ones pfmeter reads (a
     * nested PF_RT_SRC, strings and u8s it skips), labels as nlattr_add_labels writes them.
     */
    static byte[] rule(int nr, long ridentifier, List<String> labels, long bytesIn, long bytesOut) {
        List<byte[]> l = new ArrayList<>();
        for (String s : labels) {
            l.add(nlaStr(1, s));                                     // PF_LT_LABEL
        }
        return genlmsg(23, 0x305, 20, 7, concat(
                nested(1, nested(1, nlaU8(5, 0)), nlaU8(5, 0)),      // PF_RT_SRC: not read
                nlaU32(3, ridentifier),                              // PF_RT_RIDENTIFIER
                nested(4, l.toArray(new byte[0][])),                 // PF_RT_LABELS
                nlaStr(5, "igb0"),                                   // PF_RT_IFNAME
                nlaU32(23, nr),                                      // PF_RT_NR
                nlaU8(34, 0),                                        // PF_RT_ACTION
                nlaU64(63, 10),                                      // PF_RT_PACKETS_IN
                nlaU64(64, 20),                                      // PF_RT_PACKETS_OUT
                nlaU64(65, bytesIn),                                 // PF_RT_BYTES_IN
                nlaU64(66, bytesOut),                                // PF_RT_BYTES_OUT
                nlaU64(67, 99),                                      // PF_RT_EVALUATIONS
                nlaU64(68, 1_700_000_000_000L),                      // PF_RT_TIMESTAMP
                nlaU64(69, 3),                                       // PF_RT_STATES_CUR
                nlaU64(70, 30),                                      // PF_RT_STATES_TOTAL
                nlaU64(71, 2),                                       // PF_RT_SRC_NODES
                nlaU64(79, 2), nlaU64(80, 0), nlaU64(81, 0),         // PF_RT_SRC_NODES_LIMIT/NAT/ROUTE
                nlaStr(72, "")));                                    // PF_RT_ANCHOR_CALL
    }

    static PfnlRule decode(byte[] frame) {
        return PfnlRule.decode(NetlinkMessage.parseAll(frame).get(0));
    }

    @Test
    void decodesLabelsIdentifierAndCounters() {
        PfnlRule r = decode(rule(4, 1_700_000_123L, List.of("customer-a", "vlan10"), 1000, 2000));
        assertThat(r.nr()).isEqualTo(4);
        assertThat(r.ridentifier()).isEqualTo(1_700_000_123L);
        assertThat(r.labels()).containsExactly("customer-a", "vlan10");
        assertThat(r.anchorCall()).isEmpty();
        assertThat(r.evaluations()).isEqualTo(99);
        assertThat(r.packetsIn()).isEqualTo(10);
        assertThat(r.packetsOut()).isEqualTo(20);
        assertThat(r.bytesIn()).isEqualTo(1000);
        assertThat(r.bytesOut()).isEqualTo(2000);
        assertThat(r.statesCur()).isEqualTo(3);
        assertThat(r.statesTotal()).isEqualTo(30);
        assertThat(r.srcNodes()).isEqualTo(2);
    }

    @Test
    void aRuleWithTwoLabelsCountsInBoth() {
        List<RuleCounters> rows = new ArrayList<>();
        rows.addAll(decode(rule(0, 1, List.of("customer-a", "vlan10"), 100, 200)).labelRows(""));
        rows.addAll(decode(rule(1, 2, List.of("customer-a"), 10, 20)).labelRows(""));
        rows.addAll(decode(rule(2, 3, List.of(), 5, 5)).labelRows(""));
        assertThat(rows).hasSize(4);

        List<LabelCounters> labels = PfProtocol.labels(rows);
        assertThat(labels).extracting(LabelCounters::label).containsExactly("customer-a", "vlan10");
        LabelCounters a = labels.get(0);
        assertThat(a.rules()).isEqualTo(2);
        assertThat(a.bytesIn()).isEqualTo(110);
        assertThat(a.bytesOut()).isEqualTo(220);
        LabelCounters v = labels.get(1);
        assertThat(v.rules()).isEqualTo(1);
        assertThat(v.bytesIn()).isEqualTo(100);
        assertThat(v.bytesOut()).isEqualTo(200);
    }

    @Test
    void fiveLabelsAtMost() {
        byte[] six = rule(0, 0, List.of("a", "b", "c", "d", "e", "f"), 0, 0);
        assertThatThrownBy(() -> decode(six))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("6 labels, at most 5");
        assertThat(decode(rule(0, 0, List.of("a", "b", "c", "d", "e"), 0, 0)).labels()).hasSize(5);
    }

    @Test
    void aMissingCounterIsMalformed() {
        byte[] noBytes = genlmsg(23, 0, 1, 7, nlaU32(23, 1), nlaU64(63, 1));
        assertThatThrownBy(() -> decode(noBytes))
                .isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("PFNL_CMD_GETRULE reply: no PF_RT_EVALUATIONS attribute (type 67)");
    }

    @Test
    void getRulesRequestAndReply() {
        assertThat(HexFormat.of().formatHex(PfnlRules.getRules(23, 42, "", 0))).isEqualTo(
                "24000000" + "1700" + "0503" + "2a000000" + "00000000" + "06000000"
                        + "05000100" + "00000000"          // PF_GR_ANCHOR ""
                        + "05000200" + "00000000");        // PF_GR_ACTION 0
        byte[] reply = genlmsg(23, 0x305, 42, 6, nlaU32(3, 17), nlaU32(4, 0x01020304L));
        assertThat(PfnlRules.decodeInfo(NetlinkMessage.parseAll(reply).get(0)))
                .isEqualTo(new PfnlRules.Info(17, 0x01020304L));
    }

    @Test
    void getRuleRequest() {
        assertThat(HexFormat.of().formatHex(PfnlRules.getRule(23, 43, "ext", 0, 5, 9))).isEqualTo(
                "3c000000" + "1700" + "0503" + "2b000000" + "00000000" + "07000000"
                        + "08000100" + "65787400"          // PF_GR_ANCHOR "ext"
                        + "05000200" + "00000000"          // PF_GR_ACTION 0
                        + "08000300" + "05000000"          // PF_GR_NR 5
                        + "08000400" + "09000000"          // PF_GR_TICKET 9
                        + "05000500" + "00000000");        // PF_GR_CLEAR 0
    }
}
