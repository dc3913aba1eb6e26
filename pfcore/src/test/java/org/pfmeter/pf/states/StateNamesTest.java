package org.pfmeter.pf.states;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.PfsyncState;
import org.pfmeter.pf.model.StateTableBreakdown;
import org.pfmeter.pf.model.TcpState;

class StateNamesTest {

    @Test
    void tcpStatesAreTcpFsmsTableInItsOrder() {
        assertThat(TcpState.values()).hasSize(PfsyncState.TCP_NSTATES);
        assertThat(TcpState.ESTABLISHED.ordinal()).isEqualTo(4);      // TCPS_ESTABLISHED
        assertThat(TcpState.TIME_WAIT.ordinal()).isEqualTo(10);       // TCPS_TIME_WAIT
        assertThat(TcpState.pair(4, 4)).isEqualTo("ESTABLISHED:ESTABLISHED");
        assertThat(TcpState.pair(0, 2)).isEqualTo("CLOSED:SYN_SENT");
        assertThat(TcpState.pair(11, 1)).isEqualTo("PROXY:SRC");
        assertThat(TcpState.pair(4, 12)).isEqualTo("PROXY:DST");
        assertThat(TcpState.pair(40, 4)).isEqualTo("BAD");
    }

    @Test
    void addressesArePrintedAsInetNtopDoes() {
        // 192.0.2.7 as it lies in pf_addr (network order) read little-endian
        assertThat(StateAggregator.address(0, 0x0702_00c0L, 0)).isEqualTo("192.0.2.7");
        assertThat(StateTableBreakdown.compressIpv6("2001:db8:0:0:0:0:0:1")).isEqualTo("2001:db8::1");
        assertThat(StateTableBreakdown.compressIpv6("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(StateTableBreakdown.compressIpv6("2001:db8:0:1:0:0:0:0")).isEqualTo("2001:db8:0:1::");
        assertThat(StateTableBreakdown.compressIpv6("2001:db8:0:1:1:0:0:1")).isEqualTo("2001:db8:0:1:1::1");
        assertThat(StateTableBreakdown.compressIpv6("2001:0:0:1:0:0:0:1")).isEqualTo("2001:0:0:1::1");
    }

    @Test
    void theAddressTableCountsExactlyUntilFullThenCountsTheRestAsUntracked() {
        KeyTable t = new KeyTable(3);
        for (int i = 0; i < 5; i++) {
            t.add(i % 4, 0, 0, 10);
        }
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.untracked()).isEqualTo(1);
        int[] top = t.top(2).byStates();
        assertThat(t.a(top[0])).isZero();
        assertThat(t.states(top[0])).isEqualTo(2);
        assertThat(t.bytes(top[0])).isEqualTo(20);
        assertThat(top).hasSize(2);
        assertThat(t.states(top[1])).isEqualTo(1);
        // the same key with another tag is another key
        t.clear();
        t.add(7, 0, 0, 1);
        t.add(7, 0, 1, 1);
        t.add(7, 0, 0, 1);
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.states(t.top(1).byStates()[0])).isEqualTo(2);
    }

    /**
     * Both top lists come from one pass, which reads a table more than 1/32 full from end to end and
     * a sparser one key by key: either way the same lists, ordered by count, ties by the smaller key.
     */
    @Test
    void theTopListsAreTheSameWhicheverWayTheTableIsRead() {
        for (int keys : new int[] {3, 40}) {
            KeyTable t = new KeyTable(64);                 // 256 slots: 40 keys are read end to end, 3 one by one
            for (int k = 0; k < keys; k++) {
                for (int s = 0; s <= k % 5; s++) {
                    t.add(k, 0, 0, 1_000 - k);             // states 1 to 5 by k % 5; bytes the other way
                }
            }
            KeyTable.Top top = t.top(4);
            java.util.List<Long> expectedStates = java.util.stream.LongStream.range(0, keys).boxed()
                    .sorted(java.util.Comparator.comparingLong((Long k) -> -(k % 5 + 1)).thenComparingLong(k -> k))
                    .limit(4).toList();
            java.util.List<Long> expectedBytes = java.util.stream.LongStream.range(0, keys).boxed()
                    .sorted(java.util.Comparator.comparingLong((Long k) -> -(k % 5 + 1) * (1_000 - k)).thenComparingLong(k -> k))
                    .limit(4).toList();
            assertThat(java.util.Arrays.stream(top.byStates()).mapToObj(t::a).toList()).as("%d keys by states", keys)
                    .isEqualTo(expectedStates);
            assertThat(java.util.Arrays.stream(top.byBytes()).mapToObj(t::a).toList()).as("%d keys by bytes", keys)
                    .isEqualTo(expectedBytes);
        }
    }

    private static org.pfmeter.pf.model.RuleCounters rule(String anchor, int nr, String label, String call) {
        return new org.pfmeter.pf.model.RuleCounters(anchor, nr, label, call, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Rule numbers as pf gives them (from 0 in each ruleset) are looked up in arrays; numbers far
     * beyond the rules known (which pf does not give) in a hash table. Both name the same labels.
     */
    @Test
    void ruleNumbersNameTheSameLabelsDenseOrNot() {
        java.util.function.IntFunction<org.pfmeter.pf.model.Rules> rules = far -> new org.pfmeter.pf.model.Rules(
                java.util.List.of("", "a", "b"),
                java.util.List.of(rule("", 0, "web", ""), rule("", 1, "", "a"), rule("", far, "dns", ""),
                        rule("", 3, "", "*"), rule("a", 0, "in-a", ""), rule("b", 0, "in-b", ""), rule("b", 1, "only-b", "")),
                java.util.List.of());
        for (int far : new int[] {2, 0x7fff_0000}) {
            RuleLabels l = new RuleLabels(rules.apply(far));
            java.util.function.BiFunction<Long, Long, String> name = (anchor, nr) -> {
                int i = l.labelOf(anchor, nr);
                return i < 0 ? "unattributed" : l.label(i).anchor() + ":" + l.label(i).label();
            };
            assertThat(name.apply(PfsyncState.NO_RULE, PfsyncState.NO_RULE)).isEqualTo(":");
            assertThat(name.apply(PfsyncState.NO_RULE, 0L)).isEqualTo(":web");
            assertThat(name.apply(PfsyncState.NO_RULE, (long) far)).isEqualTo(":dns");
            assertThat(name.apply(PfsyncState.NO_RULE, 4L)).isEqualTo("unattributed");
            assertThat(name.apply(1L, 0L)).as("anchor rule 1 calls a").isEqualTo("a:in-a");
            assertThat(name.apply(3L, 0L)).as("a/* and b rule 0 differ").isEqualTo("unattributed");
            assertThat(name.apply(3L, 1L)).as("anchor rule 3 calls * : only b has rule 1").isEqualTo("b:only-b");
            assertThat(name.apply(1L, 1L)).isEqualTo("unattributed");
            assertThat(name.apply(9L, 0L)).isEqualTo("unattributed");
            assertThat(name.apply(0xffff_fffeL, 0L)).isEqualTo("unattributed");
            assertThat(name.apply(1L, PfsyncState.NO_RULE)).isEqualTo("unattributed");
            // the labels are numbered in their order (web came first, dns and in-a sort before it)
            java.util.List<org.pfmeter.pf.model.LabelKey> numbered = java.util.stream.IntStream.range(0, l.labels())
                    .mapToObj(l::label).toList();
            assertThat(numbered).isSorted().hasSize(6).startsWith(new org.pfmeter.pf.model.LabelKey("", ""));
        }
    }

    /** Counts handed over in key order become a TreeMap equal to one built key by key. */
    @Test
    void ascendingCountsCopyIntoTheSameTreeMap() {
        AscendingCounts<String> counts = new AscendingCounts<>(4);
        counts.add("a", 3);
        counts.add("b/c", 1);
        counts.add("z", 7);
        java.util.TreeMap<String, Long> copy = new java.util.TreeMap<>(counts);
        assertThat(copy).isEqualTo(java.util.Map.of("a", 3L, "b/c", 1L, "z", 7L));
        assertThat(copy.firstKey()).isEqualTo("a");
        assertThat(copy.lastKey()).isEqualTo("z");
        assertThat(counts.headMap("z")).isEqualTo(java.util.Map.of("a", 3L, "b/c", 1L));
        assertThatThrownBy(() -> counts.add("b", 1)).as("out of order (the tests run with -ea)").isInstanceOf(AssertionError.class);
    }
}
