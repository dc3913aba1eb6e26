package org.pfmeter.exporter.prometheus;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;

/** The families of one pf subsystem (or of pfmeter itself), from one pinned scrape. */
interface SubsystemCollector {

    List<MetricFamilySamples> collect(Scrape scrape);
}
