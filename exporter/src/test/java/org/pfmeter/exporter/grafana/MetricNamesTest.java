package org.pfmeter.exporter.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.hotspot.DefaultExports;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.pfmeter.exporter.MetricsReference;
import org.pfmeter.exporter.grafana.GrafanaFiles.Rule;
import org.pfmeter.exporter.grafana.GrafanaFiles.Target;

/**
 * Every metric name a dashboard or an alert rule reads is in the metrics reference
 * (exporter/README.md), so a renamed or misspelt metric fails here before an operator sees an
 * empty panel or an alert that can never fire. The reference lists every {@code pf_} and
 * {@code pfmeter_} family; for the JVM it refers to simpleclient_hotspot's names, so those are
 * checked against what its {@link DefaultExports} register.
 */
class MetricNamesTest {

    /** Series Prometheus itself adds to every scrape; no exporter serves them. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up", "scrape_duration_seconds",
            "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added");

    private static final List<String> SUMMARY_SUFFIXES = List.of("_sum", "_count", "_bucket");

    /** Metric name → where it is used. */
    private static Map<String, Set<String>> used() {
        Map<String, Set<String>> out = new TreeMap<>();
        for (var f : GrafanaFiles.dashboardFiles()) {
            var d = GrafanaFiles.readJson(f);
            for (Target t : GrafanaFiles.targets(d)) {
                PromQl.metricNames(t.expr()).forEach(m -> out.computeIfAbsent(m, k -> new TreeSet<>()).add(t.dashboard() + " / " + t.panel()));
            }
            for (Target t : GrafanaFiles.annotationTargets(d)) {
                PromQl.metricNames(t.expr()).forEach(m -> out.computeIfAbsent(m, k -> new TreeSet<>()).add(t.dashboard() + " / " + t.panel()));
            }
        }
        for (Rule r : GrafanaFiles.allRules()) {
            PromQl.metricNames(r.expr()).forEach(m -> out.computeIfAbsent(m, k -> new TreeSet<>()).add("alert " + r.alert()));
        }
        return out;
    }

    @Test
    void everyMetricUsedIsInTheMetricsReference() throws Exception {
        Set<String> reference = MetricsReference.load().keySet();
        Set<String> hotspot = hotspotSampleNames();
        Map<String, Set<String>> missing = new TreeMap<>();
        used().forEach((metric, where) -> {
            boolean known;
            if (metric.startsWith("pf_") || metric.startsWith("pfmeter_")) {
                known = reference.contains(metric) || SUMMARY_SUFFIXES.stream()
                        .anyMatch(s -> metric.endsWith(s) && reference.contains(metric.substring(0, metric.length() - s.length())));
            } else if (metric.startsWith("jvm_") || metric.startsWith("process_")) {
                known = hotspot.contains(metric);
            } else {
                known = PROMETHEUS_SERIES.contains(metric);
            }
            if (!known) {
                missing.put(metric, where);
            }
        });
        assertThat(missing).as("metrics used by dashboards or alert rules but not in the metrics reference of exporter/README.md").isEmpty();
    }

    /** The check above is only as good as the name extraction: it must see the metrics, and only them. */
    @Test
    void theNameExtractionFindsMetricsAndNothingElse() {
        assertThat(PromQl.metricNames("label_replace(topk($top, sum by (anchor, label) (rate(pf_label_bytes_total"
                + "{instance=~\"$instance\", label=~\"$label\"}[$__rate_interval]))), \"anchor\", \"main ruleset\", \"anchor\", \"\") * 8"))
                .containsExactly("pf_label_bytes_total");
        assertThat(PromQl.metricNames("rate(pfmeter_poll_errors_total[15m]) / on (job, instance) group_left "
                + "rate(pfmeter_polls_total[15m]) > 0.1 and up == 1e3"))
                .containsExactly("pfmeter_poll_errors_total", "pfmeter_polls_total", "up");
        assertThat(used()).containsKeys("pf_up", "pf_limit_usage", "pfmeter_snapshot_age_seconds", "jvm_memory_bytes_used")
                .doesNotContainKeys("rate", "sum", "by", "instance", "label", "anchor", "topk", "time");
    }

    private static Set<String> hotspotSampleNames() {
        CollectorRegistry registry = new CollectorRegistry(true);
        DefaultExports.register(registry);
        Set<String> names = new TreeSet<>();
        for (MetricFamilySamples f : Collections.list(registry.metricFamilySamples())) {
            f.samples.forEach(s -> names.add(s.name));
        }
        return names;
    }
}
