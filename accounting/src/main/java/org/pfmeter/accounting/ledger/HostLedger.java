package org.pfmeter.accounting.ledger;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.pfmeter.accounting.store.JournalEntry;
import org.pfmeter.accounting.store.LedgerStore;
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.accounting.store.StoredCounters;
import org.pfmeter.accounting.store.SeriesKey;

/**
 * What the ledger keeps in memory of one host between polls, equal to what the database holds
 * (checkpoint plus journal): the last stored poll, every series' latest raw counters (labels,
 * tables, table entries), and the open
 * buckets. Rebuilt from the database after a restart or a failed write ({@link #of}).
 */
final class HostLedger {

    final String host;
    final Instant firstPolledAt;
    Instant lastPolledAt;
    String checksum;
    long since;
    /** The first UTC day not sealed. */
    Instant sealedUntil;
    final Map<SeriesKey, StoredCounters> latest;
    final TreeMap<Instant, OpenBucket> open = new TreeMap<>();

    private HostLedger(String host, Instant firstPolledAt, Instant lastPolledAt, String checksum, long since,
                       Instant sealedUntil, Map<SeriesKey, StoredCounters> latest) {
        this.host = host;
        this.firstPolledAt = firstPolledAt;
        this.lastPolledAt = lastPolledAt;
        this.checksum = checksum;
        this.since = since;
        this.sealedUntil = sealedUntil;
        this.latest = latest;
    }

    /** A host whose first poll was just stored. */
    static HostLedger first(Observation o, List<JournalEntry> entries) {
        HostLedger h = new HostLedger(o.host(), o.takenAt(), o.takenAt(), o.checksum(), o.since(),
                LedgerStore.firstDayToSeal(o.takenAt()), new HashMap<>());
        h.addJournal(o.takenAt(), entries);
        return h;
    }

    /** What the database holds of a host. */
    static HostLedger of(String host, LedgerStore.StoredHost s) {
        LedgerStore.HostRecord r = s.host();
        HostLedger h = new HostLedger(host, r.firstPolledAt(), r.lastPolledAt(), r.checksum(), r.since(),
                r.sealedUntil().orElse(LedgerStore.firstDayToSeal(r.firstPolledAt())), new HashMap<>(s.checkpoint()));
        for (LedgerStore.JournalRow row : s.journal()) {
            if (row.entries().isEmpty()) {
                continue;
            }
            OpenBucket b = h.open.computeIfAbsent(SlotGrid.slotOf(row.polledAt()), x -> new OpenBucket());
            b.rows++;
            for (LedgerStore.StoredEntry e : row.entries()) {
                h.add(b, e.entry(), new StoredCounters(e.entry().raw(), e.readAt()));
            }
        }
        return h;
    }

    /** A later poll was stored. */
    void stored(Observation o, List<JournalEntry> entries) {
        lastPolledAt = o.takenAt();
        checksum = o.checksum();
        since = o.since();
        addJournal(o.takenAt(), entries);
    }

    private void addJournal(Instant at, List<JournalEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        OpenBucket b = open.computeIfAbsent(SlotGrid.slotOf(at), x -> new OpenBucket());
        b.rows++;
        for (JournalEntry e : entries) {
            add(b, e, new StoredCounters(e.raw(), at));
        }
    }

    private void add(OpenBucket b, JournalEntry e, StoredCounters raw) {
        latest.put(e.key(), raw);
        b.add(e, raw);
    }

    /** The first open bucket that starts before {@code bucket}, if any (the next to close). */
    Optional<Map.Entry<Instant, OpenBucket>> closable(Instant bucket) {
        Map.Entry<Instant, OpenBucket> e = open.firstEntry();
        return e != null && e.getKey().isBefore(bucket) ? Optional.of(e) : Optional.empty();
    }
}
