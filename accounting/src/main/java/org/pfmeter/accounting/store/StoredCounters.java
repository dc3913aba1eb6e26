package org.pfmeter.accounting.store;

import java.time.Instant;
import java.util.Objects;

/** The previous raw counters of a label, as the ledger stored them, and when they were read. */
public record StoredCounters(Counters counters, Instant polledAt) {
    public StoredCounters {
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(polledAt, "polledAt");
    }
}
