package org.pfmeter.exporter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.exporter.prometheus.CollectorsTest.collect;
import static org.pfmeter.exporter.prometheus.CollectorsTest.samples;
import static org.pfmeter.exporter.prometheus.CollectorsTest.value;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pfmeter.exporter.poll.PollStats;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.SourceNodeOptions;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.SourceNodeGroup;
import org.pfmeter.pf.model.SourceNodes;
import org.pfmeter.pf.sim.GroundTruth;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/** pf_source_node* and the opt-in pf_rule_* families against the simulator's ground truth. */
class SourceNodesAndRulesCollectorsTest {

    private final SimulatedPf sim = new SimulatedPf(SimConfig.defaults(), SimClock.manual(CollectorsTest.START));

    private PfSnapshot poll(SourceNodeOptions options) {
        sim.advance(Duration.ofHours(4));
        return new PfReader(sim, AbiRelease.V8_0, sim.clock(), 5, options).poll();
    }

    @Test
    void sourceNodeFamiliesAreTheGroundTruthsGroupsAndHoldNoAddress() {
        PfSnapshot s = poll(SourceNodeOptions.DEFAULT);
        SourceNodes truth = sim.sourceNodeTruth(SourceNodeOptions.DEFAULT.bound(), SourceNodeOptions.DEFAULT.top());
        List<MetricFamilySamples> f = collect(s, SeriesLimits.DEFAULT);
        assertThat(truth.groups()).isNotEmpty();
        assertThat(samples(f, "pf_source_nodes")).hasSize(truth.groups().size());
        for (SourceNodeGroup g : truth.groups()) {
            String[] key = {"anchor", g.anchor(), "label", g.label(), "kind", g.kind().kernelName()};
            assertThat(value(f, "pf_source_nodes", key)).isEqualTo(g.nodes());
            assertThat(value(f, "pf_source_node_states", key)).isEqualTo(g.states());
            assertThat(value(f, "pf_source_node_connections", key)).isEqualTo(g.connections());
        }
        assertThat(samples(f, "pf_source_nodes").stream().mapToDouble(x -> x.value).sum())
                .isEqualTo(value(f, "pf_limit_usage", "limit", "src_nodes"));
        assertThat(value(f, "pf_source_nodes_breakdown_skipped")).isZero();
        assertThat(value(f, "pf_source_nodes_breakdown_max")).isEqualTo(10_000);
        assertThat(value(f, "pf_source_nodes_unattributed")).isZero();
        // the top sources' addresses are in the snapshot, never in a label value
        assertThat(truth.top()).isNotEmpty();
        List<String> values = f.stream().flatMap(x -> x.samples.stream()).flatMap(x -> x.labelValues.stream()).toList();
        for (var n : truth.top()) {
            assertThat(values).doesNotContain(n.address());
        }
        assertThat(values).noneMatch(v -> v.matches("\\d+\\.\\d+\\.\\d+\\.\\d+|.*:.*:.*"));
    }

    @Test
    void aboveTheBoundOnlyTheSkippedGaugeIsServed() {
        PfSnapshot s = poll(new SourceNodeOptions(10, 5));
        List<MetricFamilySamples> f = collect(s, SeriesLimits.DEFAULT);
        assertThat(value(f, "pf_source_nodes_breakdown_skipped")).isEqualTo(1);
        assertThat(value(f, "pf_source_nodes_breakdown_max")).isEqualTo(10);
        assertThat(samples(f, "pf_source_nodes")).isEmpty();
        assertThat(samples(f, "pf_source_node_states")).isEmpty();
        assertThat(samples(f, "pf_source_nodes_unattributed")).isEmpty();
        assertThat(value(f, "pf_limit_usage", "limit", "src_nodes")).isGreaterThan(10);
    }

    @Test
    void perRuleFamiliesAreOffByDefault() {
        PfSnapshot s = poll(SourceNodeOptions.DEFAULT);
        List<MetricFamilySamples> f = collect(s, SeriesLimits.DEFAULT);
        assertThat(f).noneMatch(x -> x.name.startsWith("pf_rule_"));
        assertThat(samples(f, "pfmeter_series_limit")).noneMatch(x -> x.labelValues.contains("rules"));
        // nor are they described to the registry
        List<MetricFamilySamples> described = PfMetrics.collect(s, PollStats.NONE, java.time.Clock.systemUTC(),
                java.util.Optional.empty(), SeriesLimits.DEFAULT);
        assertThat(described).noneMatch(x -> x.name.startsWith("pf_rule_"));
    }

    @Test
    void perRuleFamiliesAddUpToTheGroundTruthOfEveryLabel() {
        PfSnapshot s = poll(SourceNodeOptions.DEFAULT);
        GroundTruth truth = sim.groundTruth();
        List<RuleCounters> rules = s.rules().value().orElseThrow().rules();
        List<MetricFamilySamples> f = collect(s, SeriesLimits.DEFAULT.withRules(true, 100_000));
        assertThat(samples(f, "pf_rule_evaluations_total")).hasSize(rules.size());
        Map<LabelKey, double[]> sums = new HashMap<>();
        for (RuleCounters r : rules) {
            String[] key = {"anchor", r.anchor(), "rule", Integer.toString(r.nr())};
            assertThat(value(f, "pf_rule_evaluations_total", key)).isEqualTo(CollectorsTest.u(r.evaluations()));
            assertThat(value(f, "pf_rule_states", key)).isEqualTo(r.statesCur());
            assertThat(value(f, "pf_rule_states_created_total", key)).isEqualTo(r.statesTotal());
            assertThat(value(f, "pf_rule_info", "anchor", r.anchor(), "rule", Integer.toString(r.nr()), "label", r.label()))
                    .isEqualTo(1);
            if (r.label().isEmpty() || !r.anchorCall().isEmpty()) {
                continue;
            }
            double[] v = sums.computeIfAbsent(new LabelKey(r.anchor(), r.label()), k -> new double[4]);
            v[0] += value(f, "pf_rule_packets_total", "anchor", r.anchor(), "rule", Integer.toString(r.nr()), "direction", "in");
            v[1] += value(f, "pf_rule_packets_total", "anchor", r.anchor(), "rule", Integer.toString(r.nr()), "direction", "out");
            v[2] += value(f, "pf_rule_bytes_total", "anchor", r.anchor(), "rule", Integer.toString(r.nr()), "direction", "in");
            v[3] += value(f, "pf_rule_bytes_total", "anchor", r.anchor(), "rule", Integer.toString(r.nr()), "direction", "out");
        }
        assertThat(sums).isNotEmpty();
        sums.forEach((k, v) -> {
            GroundTruth.Counts c = truth.labels().get(k).observable();
            assertThat(v).as("%s", k).containsExactly((double) c.packetsIn(), (double) c.packetsOut(), (double) c.bytesIn(),
                    (double) c.bytesOut());
        });
    }

    @Test
    void theRuleCapKeepsTheFirstRulesAndCountsTheRest() {
        PfSnapshot s = poll(SourceNodeOptions.DEFAULT);
        List<RuleCounters> rules = s.rules().value().orElseThrow().rules();
        SeriesLimits limits = SeriesLimits.DEFAULT.withRules(true, 7);
        List<MetricFamilySamples> f = collect(s, limits);
        List<String> expected = rules.stream()
                .sorted(java.util.Comparator.comparing(RuleCounters::anchor).thenComparingInt(RuleCounters::nr)).limit(7)
                .map(r -> r.anchor() + "@" + r.nr()).toList();
        assertThat(samples(f, "pf_rule_evaluations_total")).extracting(x -> x.labelValues.get(0) + "@" + x.labelValues.get(1))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(value(f, "pfmeter_series_omitted", "subsystem", "rules")).isEqualTo(rules.size() - 7);
        assertThat(value(f, "pfmeter_series_limit", "subsystem", "rules")).isEqualTo(7);
        SeriesBudget budget = new SeriesBudget(limits);
        budget.onSnapshot(s, PollStats.NONE);
        budget.onSnapshot(s, PollStats.NONE);
        assertThat(budget.droppedRules()).isEqualTo(2L * (rules.size() - 7));
        SeriesBudget off = new SeriesBudget(SeriesLimits.DEFAULT.withRules(false, 7));
        off.onSnapshot(s, PollStats.NONE);
        assertThat(off.droppedRules()).isZero();
    }
}
