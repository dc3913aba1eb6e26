package org.pfmeter.exporter.prometheus;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pfmeter.exporter.poll.StatesPoller;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.StateTableBreakdown;
import org.pfmeter.pf.states.StateBreakdownReader;

/**
 * The state-table breakdown (its own cadence, {@code states.interval}): counts only, never an
 * address. The {@code pf_states_by_*} families and the age histogram come from the last successful
 * read; pfmeter's own {@code pfmeter_states_breakdown_*} families say how reading goes.
 *
 * <pre>
 * pf_states_by_label{anchor="customers/acme",label="web"} 1234.0
 * pf_states_by_tcp_state{state="ESTABLISHED:ESTABLISHED"} 5120.0
 * pf_states_age_seconds_bucket{le="60.0"} 812.0
 * pfmeter_states_breakdown_skipped_total 0.0
 * pfmeter_states_label_share_alert_ratio 0.5
 * </pre>
 */
public final class StatesCollector extends Collector implements Collector.Describable {

    static final String BY_LABEL = "pf_states_by_label";
    static final String UNATTRIBUTED = "pf_states_unattributed";
    static final String BY_INTERFACE = "pf_states_by_interface";
    static final String BY_PROTOCOL = "pf_states_by_protocol";
    static final String BY_TCP_STATE = "pf_states_by_tcp_state";
    static final String AGE = "pf_states_age_seconds";
    static final String READS = "pfmeter_states_breakdown_reads_total";
    static final String SKIPPED = "pfmeter_states_breakdown_skipped_total";
    static final String ERRORS = "pfmeter_states_breakdown_errors_total";
    static final String DURATION = "pfmeter_states_breakdown_duration_seconds";
    static final String TIMESTAMP = "pfmeter_states_breakdown_timestamp_seconds";
    static final String BUFFER = "pfmeter_states_breakdown_buffer_bytes";
    static final String LABEL_SHARE_ALERT = "pfmeter_states_label_share_alert_ratio";
    /** The label under which (anchor, label) pairs beyond metrics.max-label-series are summed. */
    static final String OTHER = "(other)";

    private final StatesPoller poller;
    private final int maxLabels;

    public StatesCollector(StatesPoller poller, int maxLabels) {
        this.poller = poller;
        this.maxLabels = maxLabels;
    }

    @Override
    public List<MetricFamilySamples> describe() {
        return collect(Optional.empty(), true);
    }

    @Override
    public List<MetricFamilySamples> collect() {
        return collect(poller.lastRead().map(StateBreakdownReader.Read::breakdown), false);
    }

    private List<MetricFamilySamples> collect(Optional<StateTableBreakdown> latest, boolean describe) {
        List<MetricFamilySamples> out = new ArrayList<>();
        out.add(new CounterMetricFamily(READS, "State-table breakdowns read.", describe ? 0 : poller.reads()));
        out.add(new CounterMetricFamily(SKIPPED, "State-table breakdowns skipped because the table held more than states.max-states.",
                describe ? 0 : poller.skipped()));
        out.add(new CounterMetricFamily(ERRORS, "State-table reads that failed (DIOCGETSTATES).", describe ? 0 : poller.errors()));
        out.add(new GaugeMetricFamily(BUFFER, "Native buffer held for DIOCGETSTATES, in bytes.", describe ? 0 : poller.bufferBytes()));
        // A setting, not a measurement: served so that one alert rule follows each firewall's states.label-share-alert.
        out.add(new GaugeMetricFamily(LABEL_SHARE_ALERT,
                "Share of the breakdown's states one label may hold before PfStatesLabelShareHigh fires (states.label-share-alert).",
                poller.config().labelShareAlert()));
        if (latest.isEmpty() && !describe) {
            return out;
        }
        GaugeMetricFamily duration = new GaugeMetricFamily(DURATION, "How long the last breakdown took to read and aggregate.", List.of());
        GaugeMetricFamily ts = new GaugeMetricFamily(TIMESTAMP, "Unix time the last breakdown was read.", List.of());
        GaugeMetricFamily byLabel = new GaugeMetricFamily(BY_LABEL,
                "States per (anchor, label) of the rule that created them (label \"\" for rules without one).", List.of("anchor", "label"));
        GaugeMetricFamily unattributed = new GaugeMetricFamily(UNATTRIBUTED,
                "States whose rule numbers matched no single label of the last rule walk.", List.of());
        GaugeMetricFamily byIf = new GaugeMetricFamily(BY_INTERFACE, "States per interface (\"all\" for floating states).", List.of("interface"));
        GaugeMetricFamily byProto = new GaugeMetricFamily(BY_PROTOCOL, "States per protocol and address family.", List.of("protocol", "af"));
        GaugeMetricFamily byTcp = new GaugeMetricFamily(BY_TCP_STATE, "TCP states per peer-state pair, as pfctl -ss prints it.", List.of("state"));
        List<MetricFamilySamples.Sample> age = new ArrayList<>();
        if (latest.isPresent()) {
            StateTableBreakdown b = latest.get();
            duration.addMetric(List.of(), b.took().toNanos() / 1e9);
            ts.addMetric(List.of(), b.takenAt().toEpochMilli() / 1e3);
            labels(b.byLabel(), byLabel);
            unattributed.addMetric(List.of(), b.unattributed());
            b.byInterface().forEach((k, v) -> byIf.addMetric(List.of(k), v));
            b.byProtocol().forEach((k, v) -> byProto.addMetric(List.of(k.protocol(), k.family()), v));
            b.byTcpState().forEach((k, v) -> byTcp.addMetric(List.of(k), v));
            long cumulative = 0;
            List<Long> bounds = b.age().upperBoundsSeconds();
            for (int i = 0; i < bounds.size(); i++) {
                cumulative += b.age().counts().get(i);
                age.add(new MetricFamilySamples.Sample(AGE + "_bucket", List.of("le"), List.of(doubleToGoString(bounds.get(i))), cumulative));
            }
            cumulative += b.age().counts().get(bounds.size());
            age.add(new MetricFamilySamples.Sample(AGE + "_bucket", List.of("le"), List.of("+Inf"), cumulative));
            age.add(new MetricFamilySamples.Sample(AGE + "_count", List.of(), List.of(), cumulative));
            age.add(new MetricFamilySamples.Sample(AGE + "_sum", List.of(), List.of(), b.age().sumSeconds()));
        }
        out.add(duration);
        out.add(ts);
        out.add(byLabel);
        out.add(unattributed);
        out.add(byIf);
        out.add(byProto);
        out.add(byTcp);
        out.add(new MetricFamilySamples(AGE, Type.HISTOGRAM, "Age of the states in the table.", age));
        return out;
    }

    /** The pairs holding the most states up to the cap, the rest summed under (anchor "", label "(other)"). */
    private void labels(Map<LabelKey, Long> byLabel, GaugeMetricFamily f) {
        List<Map.Entry<LabelKey, Long>> entries = new ArrayList<>(byLabel.entrySet());
        if (entries.size() > maxLabels) {
            entries.sort(Map.Entry.<LabelKey, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        }
        long rest = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (i < maxLabels) {
                f.addMetric(List.of(entries.get(i).getKey().anchor(), entries.get(i).getKey().label()), entries.get(i).getValue());
            } else {
                rest += entries.get(i).getValue();
            }
        }
        if (entries.size() > maxLabels) {
            f.addMetric(List.of("", OTHER), rest);
        }
    }
}
