package org.pfmeter.exporter.prometheus;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.Collector.MetricFamilySamples.Sample;
import io.prometheus.client.Collector.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * One family being filled during a scrape, as simpleclient's {@code GaugeMetricFamily} and
 * {@code CounterMetricFamily}, but a counter's {@code _total} sample name is built once per family:
 * {@code CounterMetricFamily.addMetric} concatenates it for every sample, which is most of what a
 * scrape of a large firewall allocates beyond the samples themselves.
 */
final class Family {

    private static final String TOTAL = "_total";

    private final String name;
    private final Type type;
    private final String help;
    private final List<String> labelNames;
    private final String sampleName;
    private final List<Sample> samples = new ArrayList<>();

    private Family(String name, Type type, String help, List<String> labelNames, String sampleName) {
        this.name = name;
        this.type = type;
        this.help = help;
        this.labelNames = labelNames;
        this.sampleName = sampleName;
    }

    static Family gauge(String name, String help, List<String> labelNames) {
        return new Family(name, Type.GAUGE, help, labelNames, name);
    }

    /** {@code name} may end in {@code _total}: the family is named without it, its samples with it. */
    static Family counter(String name, String help, List<String> labelNames) {
        String family = name.endsWith(TOTAL) ? name.substring(0, name.length() - TOTAL.length()) : name;
        return new Family(family, Type.COUNTER, help, labelNames, family + TOTAL);
    }

    /** @param labelValues in the order of the family's label names */
    Family addMetric(List<String> labelValues, double value) {
        samples.add(new Sample(sampleName, labelNames, labelValues, value));
        return this;
    }

    boolean isEmpty() {
        return samples.isEmpty();
    }

    MetricFamilySamples samples() {
        return new MetricFamilySamples(name, type, help, samples);
    }
}
