package org.pfmeter.exporter.prometheus;

import static org.pfmeter.exporter.prometheus.Families.u;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import org.pfmeter.pf.model.LabelCounters;

/**
 * Rule counters summed per (anchor path, label) (DIOCGETRULE walk, {@code pfctl -sl}); anchor "" is
 * the main ruleset. At most {@link SeriesLimits#maxLabels()} pairs are exported.
 *
 * <pre>
 * pf_label_evaluations_total{anchor="customers/acme",label="acme-web"} 88123.0
 * pf_label_bytes_total{anchor="customers/acme",label="acme-web",direction="out"} 7.1e9
 * pf_label_states{anchor="customers/acme",label="acme-web"} 12.0
 * </pre>
 */
final class LabelsCollector implements SubsystemCollector {

    static final String EVALUATIONS = "pf_label_evaluations_total";
    static final String PACKETS = "pf_label_packets_total";
    static final String BYTES = "pf_label_bytes_total";
    static final String STATES = "pf_label_states";
    static final String STATES_CREATED = "pf_label_states_created_total";
    static final String RULES = "pf_label_rules";

    @Override
    public List<MetricFamilySamples> collect(Scrape scrape) {
        Families f = new Families();
        Family evaluations = f.counter(EVALUATIONS, "Rule evaluations of the rules carrying the label", "anchor", "label");
        Family packets = f.counter(PACKETS, "Packets matched by the label's rules and their states, by direction", "anchor", "label", "direction");
        Family bytes = f.counter(BYTES, "Bytes matched by the label's rules and their states, by direction", "anchor", "label", "direction");
        Family states = f.gauge(STATES, "Current states created by the label's rules", "anchor", "label");
        Family created = f.counter(STATES_CREATED, "States created by the label's rules", "anchor", "label");
        Family rules = f.gauge(RULES, "Rules carrying the label in the anchor", "anchor", "label");
        scrape.snapshot().flatMap(s -> s.rules().value()).ifPresent(r -> {
            for (LabelCounters l : scrape.limits().labels(r.labels())) {
                List<String> key = List.of(l.anchor(), l.label());
                evaluations.addMetric(key, u(l.evaluations()));
                List<String> in = List.of(l.anchor(), l.label(), "in");
                List<String> out = List.of(l.anchor(), l.label(), "out");
                packets.addMetric(in, u(l.packetsIn()));
                packets.addMetric(out, u(l.packetsOut()));
                bytes.addMetric(in, u(l.bytesIn()));
                bytes.addMetric(out, u(l.bytesOut()));
                states.addMetric(key, u(l.statesCur()));
                created.addMetric(key, u(l.statesTotal()));
                rules.addMetric(key, l.rules());
            }
        });
        return f.result(scrape);
    }
}
