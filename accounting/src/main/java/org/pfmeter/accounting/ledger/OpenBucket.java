package org.pfmeter.accounting.ledger;

import java.util.HashMap;
import java.util.Map;
import org.pfmeter.accounting.store.JournalEntry;
import org.pfmeter.accounting.store.SlotUsage;
import org.pfmeter.accounting.store.StoredCounters;
import org.pfmeter.accounting.store.SeriesKey;

/**
 * A 5-minute bucket whose polls are in the journal but not yet in {@code usage_5m}: what its polls
 * added per label, and each changed label's raw counters after the bucket's last poll (what
 * closing it stores).
 */
final class OpenBucket {

    final Map<SeriesKey, SlotUsage> usage = new HashMap<>();
    final Map<SeriesKey, StoredCounters> last = new HashMap<>();
    /** The bucket's rows in the journal: one a poll, or fewer after a merge ({@link Ledger#mergeJournals}). */
    int rows;

    /** @param raw the entry's raw counters and its poll's time */
    void add(JournalEntry e, StoredCounters raw) {
        last.put(e.key(), raw);
        e.booked().ifPresent(b -> usage.merge(e.key(), b, SlotUsage::plus));
    }
}
