package org.pfmeter.exporter.prometheus;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.ArrayList;
import java.util.List;

/** Small helpers so that collectors read as a list of families. */
final class Families {

    private final List<Family> out = new ArrayList<>();

    Family gauge(String name, String help, String... labels) {
        Family f = Family.gauge(name, help, List.of(labels));
        out.add(f);
        return f;
    }

    /** {@code name} ends in {@code _total}; the exposition adds it back. */
    Family counter(String name, String help, String... labels) {
        Family f = Family.counter(name, help, List.of(labels));
        out.add(f);
        return f;
    }

    /**
     * Every family created, without the ones that got no sample (a subsystem that was not read),
     * unless the scrape only describes.
     */
    List<MetricFamilySamples> result(Scrape scrape) {
        List<MetricFamilySamples> r = new ArrayList<>(out.size());
        for (Family f : out) {
            if (scrape.describe() || !f.isEmpty()) {
                r.add(f.samples());
            }
        }
        return r;
    }

    static double u(long v) {
        return Unsigned.toDouble(v);
    }
}
