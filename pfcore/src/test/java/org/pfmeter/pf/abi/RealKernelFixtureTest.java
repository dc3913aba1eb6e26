package org.pfmeter.pf.abi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.model.Action;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.Reason;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableOperation;
import org.pfmeter.pf.model.TableStats;

/**
 * The 8.0 decoders against bytes a real OpenBSD 8.0-beta kernel (pfvar.h 1.548) wrote, decoded to
 * the values the fixture's README states (test resources: fixtures/openbsd-8.0-beta/).
 */
class RealKernelFixtureTest {

    private static JsonNode calls;
    private static final PfAbi ABI = AbiRelease.V8_0.abi();

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = RealKernelFixtureTest.class.getResourceAsStream("/fixtures/openbsd-8.0-beta/real-kernel-8.0beta.json")) {
            assertThat(in).as("fixture on the test classpath").isNotNull();
            calls = new ObjectMapper().readTree(in).get("calls");
        }
    }

    private static JsonNode call(int seq) {
        for (JsonNode c : calls) {
            if (c.get("seq").asInt() == seq) {
                return c;
            }
        }
        throw new AssertionError("no call " + seq);
    }

    private static ByteBuffer hex(JsonNode node) {
        String h = node.isObject() ? node.get("hex").asText() : node.asText();
        return NativeBytes.wrap(HexFormat.of().parseHex(h));
    }

    private static ByteBuffer out(int seq, String key) {
        return hex(call(seq).get("output_hex").get(key));
    }

    @Test
    void requestNumbersAreTheOnesTheKernelAnswered() {
        int checked = 0;
        for (JsonNode c : calls) {
            for (PfIoctl io : PfIoctl.values()) {
                if (io.name().equals(c.get("op").asText())) {
                    long seen = Long.parseLong(c.get("request").asText().substring(2), 16);
                    assertThat(String.format(Locale.ROOT, "0x%08x", ABI.request(io))).as(io.name())
                            .isEqualTo(String.format(Locale.ROOT, "0x%08x", seen));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(90);
    }

    @Test
    void statusAfterTrafficDecodesToTheReadmeValues() {
        ByteBuffer b = out(80, "out");
        assertThat(b.capacity()).isEqualTo(ABI.struct("pf_status").size());
        Status s = ABI.status().decode(b, 25000, 12500);
        assertThat(s.running()).isTrue();
        assertThat(s.states()).isEqualTo(4);
        assertThat(s.counters().get(Reason.MATCH)).isEqualTo(4);
        assertThat(s.stateOperations().get(TableOperation.SEARCH)).isEqualTo(20);
        assertThat(s.stateOperations().get(TableOperation.INSERT)).isEqualTo(4);
        assertThat(s.stateOperations().get(TableOperation.REMOVAL)).isZero();
        assertThat(s.since()).isZero();
        assertThat(s.debug()).isEqualTo(3);
        assertThat(s.reass()).isEqualTo(1);
        assertThat(s.hostid()).isEqualTo(4153521125L);
        assertThat(s.logInterface().isUnset()).isTrue();
        assertThat(s.logInterface().counters()).isEqualTo(org.pfmeter.pf.model.TrafficCounters.ZERO);
        assertThat(s.checksum()).isEqualTo("0d932bed13050b09c6f4e3efb6563320");
        // stateid starts at boot wall-clock seconds << 32 and advanced by the 4 states
        assertThat(s.stateid().getAsLong() & 0xffff_ffffL).isEqualTo(4);
    }

    @Test
    void statusBeforeStartAndAfterTheEmptyRuleset() {
        Status before = ABI.status().decode(out(5, "out"), 0, 0);
        assertThat(before.running()).isFalse();
        assertThat(before.counters().toArray()).containsOnly(0L);
        assertThat(before.checksum()).isEqualTo("00000000000000000000000000000000");
        Status last = ABI.status().decode(out(112, "out"), 0, 0);
        assertThat(last.checksum()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");   // MD5 of nothing
    }

    @Test
    void limitsTimeoutsAndWatermarks() {
        CStruct lim = ABI.struct("pfioc_limit");
        long[] limits = new long[7];
        for (int i = 0; i < 7; i++) {
            ByteBuffer b = out(10 + i, "out");
            assertThat(b.getInt(lim.offset("index"))).isEqualTo(i);
            limits[i] = NativeBytes.u32(b, lim.offset("limit"));
        }
        assertThat(limits).containsExactly(100000, 10000, 16384, 1000, 200000, 10000, 512);
        CStruct tm = ABI.struct("pfioc_tm");
        long[] secs = new long[20];
        for (int i = 0; i < 20; i++) {
            secs[i] = NativeBytes.s32(out(19 + i, "out"), tm.offset("seconds"));
        }
        assertThat(secs).containsExactly(120, 30, 86400, 900, 45, 90, 60, 30, 60, 20, 10, 60, 30, 60, 60, 10, 60000, 120000, 0, 30);
        assertThat(call(17).get("errno").asInt()).isEqualTo(Errno.EINVAL);
        assertThat(call(39).get("errno").asInt()).isEqualTo(Errno.EINVAL);
        CStruct w = ABI.struct("pfioc_synflwats");
        ByteBuffer wb = out(42, "out");
        assertThat(NativeBytes.u32(wb, w.offset("hiwat"))).isEqualTo(25000);
        assertThat(NativeBytes.u32(wb, w.offset("lowat"))).isEqualTo(12500);
    }

    @Test
    void interfacesAfterTraffic() {
        List<InterfaceCounters> kifs = new java.util.ArrayList<>();
        for (JsonNode k : call(103).get("kifs")) {
            ByteBuffer b = hex(k.get("hex"));
            assertThat(b.capacity()).isEqualTo(ABI.kif().size());
            kifs.add(ABI.kif().decode(b, 0));
        }
        assertThat(kifs).extracting(InterfaceCounters::name).containsExactly("all", "carp", "em0", "enc", "enc0", "lo", "lo0");
        assertThat(kifs).extracting(InterfaceCounters::group).containsExactly(true, true, false, true, false, true, false);
        InterfaceCounters lo0 = kifs.get(6);
        assertThat(lo0.counters().packets(AddressFamily.INET, Direction.IN, Action.PASS)).isEqualTo(10);
        assertThat(lo0.counters().packets(AddressFamily.INET, Direction.OUT, Action.PASS)).isEqualTo(10);
        assertThat(lo0.counters().bytes(AddressFamily.INET, Direction.IN, Action.PASS)).isEqualTo(820);
        assertThat(lo0.counters().bytes(AddressFamily.INET, Direction.OUT, Action.PASS)).isEqualTo(820);
        assertThat(lo0.counters().packets(AddressFamily.INET6, Direction.IN, Action.PASS)).isZero();
        assertThat(kifs.get(0).states()).isEqualTo(4);
        assertThat(kifs).allSatisfy(k -> assertThat(k.flags()).isZero());
        assertThat(kifs.get(0).cleared()).isEqualTo(1795387031L);
    }

    private static RuleCounters rule(int seq, String anchor) {
        JsonNode c = call(seq);
        PfiocRule codec = ABI.rule();
        ByteBuffer b = NativeBytes.allocate(codec.size());
        ByteBuffer rule = out(seq, "rule");
        assertThat(rule.capacity()).isEqualTo(ABI.struct("pf_rule").size());
        b.put(codec.ruleOffset(), rule, 0, rule.capacity());
        NativeBytes.putU32(b, codec.nr, c.get("output").get("nr").asLong());
        NativeBytes.putCString(b, codec.anchorCall, PfConstants.PATH_MAX, c.get("output").get("anchor_call").asText());
        return codec.decode(b, anchor);
    }

    @Test
    void rulesAfterTrafficMatchTheReadmeTable() {
        assertThat(rule(82, "")).isEqualTo(new RuleCounters("", 0, "cust-a", "", 4, 0, 0, 0, 0, 0, 0));
        assertThat(rule(83, "")).isEqualTo(new RuleCounters("", 1, "cust-a", "", 4, 2, 2, 112, 156, 1, 1));
        assertThat(rule(84, "")).isEqualTo(new RuleCounters("", 2, "cust-b", "", 4, 5, 5, 540, 280, 2, 2));
        assertThat(rule(85, "")).isEqualTo(new RuleCounters("", 3, "", "office", 4, 3, 3, 168, 384, 1, 1));
        assertThat(rule(92, "office")).isEqualTo(new RuleCounters("office", 0, "office-web", "", 4, 3, 3, 168, 384, 1, 1));
        // the rule's own nr inside pf_rule agrees with pfioc_rule.nr
        ByteBuffer r = out(84, "rule");
        assertThat(NativeBytes.u32(r, ABI.struct("pf_rule").offset("nr"))).isEqualTo(2);
    }

    @Test
    void labelsAggregatePerAnchorAndLabel() {
        var labels = PfProtocol.labels(List.of(rule(82, ""), rule(83, ""), rule(84, ""), rule(85, ""), rule(92, "office")));
        assertThat(labels).extracting(l -> l.key().toString()).containsExactly("cust-a", "cust-b", "office:office-web");
        assertThat(labels.get(0).rules()).isEqualTo(2);
        assertThat(labels.get(0).bytesIn()).isEqualTo(112);
        assertThat(labels.get(0).bytesOut()).isEqualTo(156);
        assertThat(labels.get(0).evaluations()).isEqualTo(8);
    }

    @Test
    void rulesetNameAndTableStats() {
        ByteBuffer rs = out(99, "out");
        CStruct s = ABI.struct("pfioc_ruleset");
        assertThat(NativeBytes.cString(rs, s.offset("name"), PfConstants.PF_ANCHOR_NAME_SIZE)).isEqualTo("office");

        JsonNode t = call(105).get("tstats").get(0);
        ByteBuffer b = hex(t.get("hex"));
        assertThat(b.capacity()).isEqualTo(ABI.tstats().size());
        TableStats ts = ABI.tstats().decode(b, 0);
        assertThat(ts.name()).isEqualTo("custtbl");
        assertThat(ts.anchor()).isEmpty();
        assertThat(ts.flags()).isEqualTo(0x15);
        assertThat(ts.flagLetters()).isEqualTo("-pa-r--");
        assertThat(ts.addresses()).isEqualTo(2);
        assertThat(ts.refRules()).isEqualTo(1);
        assertThat(ts.refAnchors()).isZero();
        assertThat(ts.match()).isEqualTo(2);
        assertThat(ts.nomatch()).isZero();
        assertThat(ts.packets(Direction.IN, TableAction.PASS)).isEqualTo(5);
        assertThat(ts.packets(Direction.OUT, TableAction.PASS)).isEqualTo(5);
        assertThat(ts.bytes(Direction.IN, TableAction.PASS)).isEqualTo(540);
        assertThat(ts.bytes(Direction.OUT, TableAction.PASS)).isEqualTo(280);
        assertThat(ts.packets(Direction.IN, TableAction.BLOCK)).isZero();
    }
}
