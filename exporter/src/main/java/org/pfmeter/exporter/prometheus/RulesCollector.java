package org.pfmeter.exporter.prometheus;

import static org.pfmeter.exporter.prometheus.Families.u;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import org.pfmeter.pf.model.RuleCounters;

/**
 * Per-rule counters (DIOCGETRULE walk, {@code pfctl -vvsr}), only with {@code metrics.rules = true}:
 * the same counters as the pf_label_* families, per rule instead of per label. {@code rule} is the
 * rule's number within its ruleset ({@code @nr} in {@code pfctl -vvsr}), {@code anchor} "" the main
 * ruleset; an anchor-call rule counts what the rules of its anchor matched. At most
 * {@link SeriesLimits#maxRules()} rules are exported, the first in (anchor, number) order.
 *
 * <pre>
 * pf_rule_evaluations_total{anchor="customers/acme",rule="2"} 88123.0
 * pf_rule_bytes_total{anchor="customers/acme",rule="2",direction="out"} 7.1e9
 * pf_rule_states{anchor="customers/acme",rule="2"} 12.0
 * pf_rule_info{anchor="customers/acme",rule="2",label="acme-web"} 1.0
 * </pre>
 */
final class RulesCollector implements SubsystemCollector {

    static final String EVALUATIONS = "pf_rule_evaluations_total";
    static final String PACKETS = "pf_rule_packets_total";
    static final String BYTES = "pf_rule_bytes_total";
    static final String STATES = "pf_rule_states";
    static final String STATES_CREATED = "pf_rule_states_created_total";
    static final String INFO = "pf_rule_info";

    @Override
    public List<MetricFamilySamples> collect(Scrape scrape) {
        if (!scrape.limits().rules()) {
            return List.of();
        }
        Families f = new Families();
        Family evaluations = f.counter(EVALUATIONS, "Evaluations of the rule", "anchor", "rule");
        Family packets = f.counter(PACKETS, "Packets matched by the rule and its states, by direction", "anchor", "rule", "direction");
        Family bytes = f.counter(BYTES, "Bytes matched by the rule and its states, by direction", "anchor", "rule", "direction");
        Family states = f.gauge(STATES, "Current states created by the rule", "anchor", "rule");
        Family created = f.counter(STATES_CREATED, "States created by the rule (32-bit in the kernel: wraps)", "anchor", "rule");
        Family info = f.gauge(INFO, "1 for each rule exported, with its label (\"\" if none)", "anchor", "rule", "label");
        scrape.snapshot().flatMap(s -> s.rules().value()).ifPresent(r -> {
            for (RuleCounters c : scrape.limits().rules(r.rules())) {
                String nr = Integer.toUnsignedString(c.nr());
                List<String> key = List.of(c.anchor(), nr);
                evaluations.addMetric(key, u(c.evaluations()));
                List<String> in = List.of(c.anchor(), nr, "in");
                List<String> out = List.of(c.anchor(), nr, "out");
                packets.addMetric(in, u(c.packetsIn()));
                packets.addMetric(out, u(c.packetsOut()));
                bytes.addMetric(in, u(c.bytesIn()));
                bytes.addMetric(out, u(c.bytesOut()));
                states.addMetric(key, u(c.statesCur()));
                created.addMetric(key, u(c.statesTotal()));
                info.addMetric(List.of(c.anchor(), nr, c.label()), 1);
            }
        });
        return f.result(scrape);
    }
}
