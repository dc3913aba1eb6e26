package org.pfmeter.exporter.prometheus;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Small helpers so that collectors read as a list of families. */
final class Families {

    private final List<MetricFamilySamples> out = new ArrayList<>();

    GaugeMetricFamily gauge(String name, String help, String... labels) {
        GaugeMetricFamily f = new GaugeMetricFamily(name, help, Arrays.asList(labels));
        out.add(f);
        return f;
    }

    /** {@code name} ends in {@code _total}; the exposition adds it back. */
    CounterMetricFamily counter(String name, String help, String... labels) {
        CounterMetricFamily f = new CounterMetricFamily(name, help, Arrays.asList(labels));
        out.add(f);
        return f;
    }

    /**
     * Every family created, without the ones that got no sample (a subsystem that was not read),
     * unless the scrape only describes.
     */
    List<MetricFamilySamples> result(Scrape scrape) {
        List<MetricFamilySamples> r = new ArrayList<>();
        for (MetricFamilySamples f : out) {
            if (scrape.describe() || !f.samples.isEmpty()) {
                r.add(f);
            }
        }
        return r;
    }

    static double u(long v) {
        return Unsigned.toDouble(v);
    }
}
