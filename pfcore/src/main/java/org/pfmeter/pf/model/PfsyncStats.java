package org.pfmeter.pf.model;

import java.util.Objects;

/**
 * {@code net.inet.pfsync.stats}: the pfsync protocol's counters since boot (they do not reset with
 * pf), read only while pfsync is configured.
 */
public record PfsyncStats(EnumCounters<PfsyncCounter> counters) {

    public PfsyncStats {
        Objects.requireNonNull(counters, "counters");
    }

    public long get(PfsyncCounter c) {
        return counters.get(c);
    }
}
