package org.pfmeter.accounting.store;

import java.util.Objects;
import java.util.Optional;
import org.pfmeter.pf.model.LabelKey;

/**
 * What one poll stored of one series (label, table or address) whose counters changed: its raw
 * counters (the next poll's "previous") and, when the poll moved it, its share of the 5-minute bucket.
 *
 * @param booked empty for a change that books nothing (the host's baseline poll)
 */
public record JournalEntry(SeriesKey key, Counters raw, Optional<SlotUsage> booked) {
    public JournalEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(booked, "booked");
    }

    /** A label's entry. */
    public JournalEntry(LabelKey label, Counters raw, Optional<SlotUsage> booked) {
        this(SeriesKey.label(label), raw, booked);
    }
}
