package org.pfmeter.pf.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.SourceNodeGroup;
import org.pfmeter.pf.model.SourceNodeKind;
import org.pfmeter.pf.model.SourceNodes;

/** How a node's rule number is tied to a rule of the same poll, and how v6 addresses print. */
class SourceNodeTallyTest {

    private final PfSrcNode codec = AbiRelease.V8_0.abi().srcNode();

    private static RuleCounters rule(String anchor, int nr, String label, long srcNodes) {
        return new RuleCounters(anchor, nr, label, "", 0, 0, 0, 0, 0, 0, 0, srcNodes);
    }

    private ByteBuffer node(long nr, int type, long states, byte[] addr, int af) {
        ByteBuffer b = NativeBytes.allocate(codec.size());
        codec.encode(new PfSrcNode.Encoded(addr, new byte[16], af, 0, type, nr, 0, 0, 0, 0, states, 0, 0, 0, 0, 5, 0), b, 0);
        return b;
    }

    private static byte[] v4(int last) {
        byte[] a = new byte[16];
        a[0] = (byte) 198;
        a[1] = 51;
        a[2] = 100;
        a[3] = (byte) last;
        return a;
    }

    @Test
    void aNumberIsTiedToTheOneRuleHoldingNodesElseItIsUnattributed() {
        List<RuleCounters> rules = List.of(
                rule("", 3, "web", 2),
                rule("office", 3, "printers", 0),      // same number, holds no nodes: not the owner
                rule("", 5, "mail", 1),
                rule("customers", 5, "acme", 1),       // two holders of number 5: ambiguous
                rule("office", 9, "", 0));             // the only rule numbered 9
        SourceNodeTally t = new SourceNodeTally(codec, rules, 2);
        t.add(node(3, 0, 4, v4(1), PfSrcNode.AF_INET), 0);
        t.add(node(3, 0, 6, v4(2), PfSrcNode.AF_INET), 0);
        t.add(node(5, 2, 1, v4(3), PfSrcNode.AF_INET), 0);
        t.add(node(9, 1, 2, v4(4), PfSrcNode.AF_INET), 0);
        t.add(node(77, 0, 1, v4(5), PfSrcNode.AF_INET), 0);     // no rule 77 any more: reloaded
        SourceNodes r = t.result(100);
        assertThat(r.nodes()).isEqualTo(5);
        assertThat(r.unattributed()).isEqualTo(2);
        assertThat(r.groups()).containsExactly(
                new SourceNodeGroup("", "", SourceNodeKind.NONE, 1, 1, 0),
                new SourceNodeGroup("", "", SourceNodeKind.RDR, 1, 1, 0),
                new SourceNodeGroup("", "web", SourceNodeKind.NONE, 2, 10, 0),
                new SourceNodeGroup("office", "", SourceNodeKind.NAT, 1, 2, 0));
        assertThat(r.top()).extracting(n -> n.address() + " " + n.anchor() + "/" + n.label())
                .containsExactly("198.51.100.2 /web", "198.51.100.1 /web");
    }

    @Test
    void aTypeBeyondPfSnMaxIsAMalformedAnswer() {
        SourceNodeTally t = new SourceNodeTally(codec, List.of(), 1);
        assertThatThrownBy(() -> t.add(node(0, 4, 1, v4(1), PfSrcNode.AF_INET), 0))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("PF_SN_MAX");
    }

    @Test
    void ipv6PrintsAsInetNtopDoes() {
        byte[] a = new byte[16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = (byte) 0xb8;
        a[15] = 1;
        assertThat(InetText.format(NativeBytes.wrap(a), 0, PfSrcNode.AF_INET6)).isEqualTo("2001:db8::1");
        byte[] b = new byte[16];
        b[1] = 1;                                   // 1:0:0:0:0:0:0:0 -> 1::
        assertThat(InetText.format(NativeBytes.wrap(b), 0, PfSrcNode.AF_INET6)).isEqualTo("1::");
        byte[] c = {0x20, 0x01, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1};   // 2001:0:1:0:0:1:0:1: one single zero is kept
        assertThat(InetText.format(NativeBytes.wrap(c), 0, PfSrcNode.AF_INET6)).isEqualTo("2001:0:1::1:0:1");
        assertThat(InetText.format(NativeBytes.wrap(new byte[16]), 0, PfSrcNode.AF_INET6)).isEqualTo("::");
    }
}
