package org.pfmeter.exporter.http;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import java.util.Set;

/**
 * Families of the registry that depend only on the latest poll: /metrics renders them once per
 * poll (see {@link SnapshotRenders}) and every other family on each scrape.
 */
public interface SnapshotFamilies {

    /**
     * What the families are made of now: two pins are equal only when {@link #collect} gives the
     * same families for them (a new one after every poll).
     */
    Object pin();

    /** The families of {@code pin}, a value {@link #pin()} returned. */
    List<MetricFamilySamples> collect(Object pin);

    /** The name of every family {@link #collect} can give (without sample suffixes). */
    Set<String> familyNames();
}
