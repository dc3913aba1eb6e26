package org.pfmeter.pf.abi.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pfmeter.pf.abi.netlink.HandFrame.genlmsg;
import static org.pfmeter.pf.abi.netlink.HandFrame.nested;
import static org.pfmeter.pf.abi.netlink.HandFrame.nla;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU32;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU64;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU8;

import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.SourceNodeGroup;
import org.pfmeter.pf.model.SourceNodeKind;
import org.pfmeter.pf.model.SourceNodes;

/** GET_SRCNODES dump messages in the order pf_handle_get_srcnodes writes them (15-based pf_nl.c). */
class PfnlSourceNodesTest {

    static final byte[] V4 = HexFormat.of().parseHex("c0000207000000000000000000000000");   // 192.0.2.7
    static final byte[] V4_NAT = HexFormat.of().parseHex("c6336401000000000000000000000000"); // 198.51.100.1
    static final byte[] V6 = HexFormat.of().parseHex("20010db8000000000000000000000001");  // 2001:db8::1

    static byte[] node(byte[] addr, byte[] raddr, int af, long ruleNr, long states, int type) {
        return genlmsg(23, 0x2, 7, 25,
                nla(1, addr), nla(2, raddr), nlaU32(3, ruleNr),
                nlaU64(4, 1000), nlaU64(5, 2000), nlaU64(6, 10), nlaU64(7, 20),  // bytes in/out, packets in/out
                nlaU32(8, states), nlaU32(9, 3), nlaU8(10, af), nlaU8(15, af), nlaU8(11, 0),
                nlaU64(12, 600), nlaU64(13, 0),                                  // age, seconds to expiry
                nested(14, nlaU32(1, 100), nlaU32(2, 10), nlaU32(3, 4500), nlaU32(4, 77)),
                nlaU8(16, type));
    }

    static PfnlSourceNodes.Node decode(byte[] frame) {
        return PfnlSourceNodes.decode(NetlinkMessage.parseAll(frame).get(0));
    }

    @Test
    void decodesANode() {
        PfnlSourceNodes.Node n = decode(node(V4, V4_NAT, 2, 4, 12, 1));
        assertThat(n.address()).isEqualTo("192.0.2.7");
        assertThat(n.translated()).isEqualTo("198.51.100.1");
        assertThat(n.family()).isEqualTo(AddressFamily.INET);
        assertThat(n.kind()).isEqualTo(SourceNodeKind.NAT);
        assertThat(n.ruleNr()).isEqualTo(4);
        assertThat(n.states()).isEqualTo(12);
        assertThat(n.connections()).isEqualTo(3);
        assertThat(n.packets()).isEqualTo(30);
        assertThat(n.bytes()).isEqualTo(3000);
        assertThat(n.ageSeconds()).isEqualTo(600);
        assertThat(n.expiresSeconds()).isZero();
        assertThat(n.rateCount()).isEqualTo(4500);
        assertThat(n.rateSeconds()).isEqualTo(10);

        PfnlSourceNodes.Node six = decode(node(V6, new byte[16], 28, 4, 1, 0));
        assertThat(six.address()).isEqualTo("2001:db8::1");
        assertThat(six.translated()).as("a source-track node has no translated address").isEmpty();
        assertThat(six.family()).isEqualTo(AddressFamily.INET6);
        assertThat(six.kind()).isEqualTo(SourceNodeKind.NONE);
        assertThat(decode(node(V4, V4_NAT, 2, 4, 1, 2)).kind()).isEqualTo(SourceNodeKind.ROUTE);
    }

    @Test
    void refusesUnknownFamiliesAndKinds() {
        assertThatThrownBy(() -> decode(node(V4, V4, 24, 0, 0, 0))).isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("address family 24 is neither AF_INET (2) nor AF_INET6 (28)");
        assertThatThrownBy(() -> decode(node(V4, V4, 2, 0, 0, 3))).isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("PF_SN_NODE_TYPE 3");
    }

    static RuleCounters rule(String anchor, int nr, String label, long srcNodes) {
        return new RuleCounters(anchor, nr, label, "", 0, 0, 0, 0, 0, 0, 0, srcNodes);
    }

    @Test
    void tallyAttributesNodesToTheirRules() {
        List<RuleCounters> rules = List.of(rule("", 4, "web", 2), rule("", 4, "web-extra", 2), rule("ext", 4, "x", 0),
                rule("", 9, "ssh", 0), rule("a", 9, "ssh", 0));
        List<PfnlSourceNodes.Node> nodes = List.of(decode(node(V4, V4_NAT, 2, 4, 12, 1)),
                decode(node(V6, new byte[16], 28, 4, 5, 0)), decode(node(V4, new byte[16], 2, 9, 1, 0)));
        SourceNodes s = PfnlSourceNodes.tally(nodes, rules, 1000, 2);
        assertThat(s.nodes()).isEqualTo(3);
        assertThat(s.skipped()).isFalse();
        assertThat(s.groups()).containsExactly(
                new SourceNodeGroup("", "", SourceNodeKind.NONE, 1, 1, 3),          // nr 9 in two anchors: unattributed
                new SourceNodeGroup("", "web", SourceNodeKind.NONE, 1, 5, 3),       // a two-label rule: its first label
                new SourceNodeGroup("", "web", SourceNodeKind.NAT, 1, 12, 3));
        assertThat(s.unattributed()).isEqualTo(1);
        assertThat(s.top()).extracting(n -> n.states()).containsExactly(12L, 5L);
        assertThat(s.top().get(0).label()).isEqualTo("web");

        SourceNodes over = PfnlSourceNodes.tally(nodes, rules, 2, 2);
        assertThat(over.skipped()).isTrue();
        assertThat(over.nodes()).isEqualTo(3);
    }

    @Test
    void thresholdNumbersArePinned() {
        // pf_nl.h enum pf_threshold_types_t
        assertThat(PfNl.Threshold.PF_TH_LIMIT).isEqualTo(1);
        assertThat(PfNl.Threshold.PF_TH_SECONDS).isEqualTo(2);
        assertThat(PfNl.Threshold.PF_TH_COUNT).isEqualTo(3);
        assertThat(PfNl.Threshold.PF_TH_LAST).isEqualTo(4);
        assertThat(PfnlSourceNodes.FREEBSD_AF_INET6).isEqualTo(28);
        assertThat(PfnlTables.FREEBSD_PFR_OP_TABLE_MAX).isEqualTo(3);
    }
}
