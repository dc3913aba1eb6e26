package org.pfmeter.accounting.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.pfmeter.accounting.store.Counters;
import org.pfmeter.accounting.store.JournalEntry;
import org.pfmeter.accounting.store.LedgerStore;
import org.pfmeter.accounting.store.SeriesKey;
import org.pfmeter.accounting.store.SlotUsage;
import org.pfmeter.accounting.store.StoredCounters;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.LabelKey;

/**
 * What one poll adds to a host's ledger, computed from the previous state alone: the deltas of
 * every label ({@link DeltaRules}), the journal entries to store (the labels whose counters changed
 * or that moved), and the audit-trail events. Pure: no database, no clock; the ledger stores the
 * result and only then takes it as its new state.
 */
public final class PollAccounting {

    /**
     * What the ledger held of the host before the poll.
     *
     * @param latest   every series' latest stored raw counters and when they were read
     * @param polledAt the host's last stored poll (empty: not known, then a table or entry seen for
     *                 the first time is a baseline)
     */
    public record Previous(String checksum, long since, Map<SeriesKey, StoredCounters> latest, Optional<Instant> polledAt) {
        public Previous {
            Objects.requireNonNull(checksum, "checksum");
            Objects.requireNonNull(latest, "latest");
            Objects.requireNonNull(polledAt, "polledAt");
        }

        public Previous(String checksum, long since, Map<SeriesKey, StoredCounters> latest) {
            this(checksum, since, latest, Optional.empty());
        }
    }

    /**
     * @param deltas      one per label of the poll, in the poll's order
     * @param entries     what the journal stores: labels whose raw counters changed or that moved
     * @param resets      labels counted at their current value (not the baseline)
     * @param implausible labels with a counter too large to count
     * @param tableResets   tables counted at their current value (not the baseline)
     * @param addressResets table entries counted at their current value (not the baseline)
     */
    public record Accounted(HostChange change, List<LabelDelta> deltas, List<JournalEntry> entries,
                            List<LedgerStore.Event> events, int resets, long implausible, int tableResets, int addressResets) {
    }

    private static final LabelKey HOST_WIDE = new LabelKey("", "");

    private PollAccounting() {
    }

    /**
     * @param previous empty for the host's first stored poll
     * @throws IllegalArgumentException when a label appears twice in the poll
     */
    public static Accounted account(Optional<Previous> previous, Observation o) {
        HostChange change = previous.map(p -> new HostChange(false, !p.checksum().equals(o.checksum()), p.since() != o.since()))
                .orElse(HostChange.FIRST);
        Map<SeriesKey, StoredCounters> latest = previous.map(Previous::latest).orElse(Map.of());
        List<LabelDelta> deltas = new ArrayList<>(o.labels().size());
        List<JournalEntry> entries = new ArrayList<>();
        Set<LabelKey> seen = new HashSet<>();
        int resets = 0;
        long implausible = 0;
        for (LabelCounters l : o.labels()) {
            if (!seen.add(l.key())) {
                throw new IllegalArgumentException("label " + l.key() + " appears twice in one poll of " + o.host());
            }
            Counters now = Counters.of(l);
            StoredCounters before = latest.get(SeriesKey.label(l.key()));
            LabelDelta d = DeltaRules.delta(l.key(), now, l.statesCur(), before, change, o.takenAt());
            deltas.add(d);
            boolean reset = d.reset() != Reset.NONE && d.reset() != Reset.BASELINE;
            resets += reset ? 1 : 0;
            implausible += d.detail().contains("not counted") ? 1 : 0;
            // a row in the bucket when the label moved, or was reset (which counts the current value)
            boolean moved = !d.isZero() || reset;
            boolean changed = before == null || !before.counters().equals(now) || d.reset() != Reset.NONE;
            if (moved || changed) {
                Optional<SlotUsage> booked = moved
                        ? Optional.of(new SlotUsage(d.packetsIn(), d.packetsOut(), d.bytesIn(), d.bytesOut(), d.evaluations(),
                                d.statesCreated(), d.statesCur(), 1, reset ? 1 : 0))
                        : Optional.empty();
                entries.add(new JournalEntry(l.key(), now, booked));
            }
        }
        List<LedgerStore.Event> events = events(o, change, deltas);
        int tableResets = 0;
        int addressResets = 0;
        Set<SeriesKey> seenSeries = new HashSet<>();
        List<SeriesCounters> series = new ArrayList<>(SeriesCounters.tables(o.tables()));
        series.addAll(SeriesCounters.addresses(o.addresses()));
        Optional<Instant> previousPoll = previous.flatMap(Previous::polledAt);
        for (SeriesCounters s : series) {
            if (!seenSeries.add(s.key())) {
                throw new IllegalArgumentException(s.key() + " appears twice in one poll of " + o.host());
            }
            StoredCounters before = latest.get(s.key());
            LabelDelta d = seriesDelta(s, before, change, o.takenAt(), previousPoll);
            boolean reset = d.reset() != Reset.NONE && d.reset() != Reset.BASELINE;
            // a table's or entry's action series share its tzero and reset with its sum: counted and
            // logged once, on the sum
            boolean counted = reset && s.isSum();
            if (counted && s.key().kind().isTable()) {
                tableResets++;
            } else if (counted) {
                addressResets++;
            }
            boolean moved = !d.isZero() || reset;
            boolean changed = before == null || !before.counters().equals(s.counters()) || d.reset() != Reset.NONE;
            if (moved || changed) {
                Optional<SlotUsage> booked = moved
                        ? Optional.of(new SlotUsage(d.packetsIn(), d.packetsOut(), d.bytesIn(), d.bytesOut(), d.evaluations(),
                                0, 0, 1, reset ? 1 : 0))
                        : Optional.empty();
                entries.add(new JournalEntry(s.key(), s.counters(), booked));
            }
            if (counted) {
                events.add(new LedgerStore.Event(eventKind(s.key(), d.reset()), eventKey(s.key()), d.detail()));
            }
        }
        return new Accounted(change, deltas, entries, events, resets, implausible, tableResets, addressResets);
    }

    /**
     * A table's or an entry's delta: {@link DeltaRules} with the ruleset's checksum ignored (a
     * ruleset commit keeps the counters of a table that stays, pfr_commit_ktable(); those of a table
     * it creates start at a new {@code tzero}), and {@link Reset#RULES_CHANGED}, which here is
     * {@code tzero} moving, named {@link Reset#COUNTERS_CLEARED}. A series seen for the first time
     * counts its current value only when pf cleared its counters at or after the host's previous
     * poll (a table or entry created since); otherwise its counters hold traffic from before the
     * ledger could see it (the upgrade to schema V6, a table newly named in the config), and they
     * are the series' baseline.
     */
    static LabelDelta seriesDelta(SeriesCounters s, StoredCounters before, HostChange change, Instant at,
                                  Optional<Instant> previousPoll) {
        LabelKey key = new LabelKey(s.key().anchor(), s.key().table() + (s.key().label().isEmpty() ? "" : " " + s.key().label()));
        if (!change.firstObservation() && before == null
                && previousPoll.map(p -> s.cleared() < p.getEpochSecond()).orElse(true)) {
            return new LabelDelta(key, 0, 0, 0, 0, 0, 0, 0, Reset.BASELINE,
                    "first seen; counters cleared at " + s.cleared() + ", before the previous poll");
        }
        LabelDelta d = DeltaRules.delta(key, s.counters(), 0, before,
                new HostChange(change.firstObservation(), false, change.pfRestarted()), at);
        if (d.reset() == Reset.RULES_CHANGED) {
            return new LabelDelta(key, d.evaluations(), d.packetsIn(), d.packetsOut(), d.bytesIn(), d.bytesOut(),
                    d.statesCreated(), d.statesCur(), Reset.COUNTERS_CLEARED, "cleared (tzero) "
                    + Integer.toUnsignedString(before.counters().rules()) + " -> " + s.cleared()
                    + d.detail().substring(d.detail().indexOf(';') < 0 ? d.detail().length() : d.detail().indexOf(';')));
        }
        return d;
    }

    /** "table-counters-cleared", "address-new", …: at most 32 characters ({@code ledger_event.kind}). */
    private static String eventKind(SeriesKey k, Reset r) {
        return k.kind().sql() + "-" + (r == Reset.NEW_LABEL ? "new" : r.kind());
    }

    /** The audit trail's (anchor, label) of a table ("name") or an entry ("name address"). */
    private static LabelKey eventKey(SeriesKey k) {
        return new LabelKey(k.anchor(), k.table() + (k.label().isEmpty() ? "" : " " + k.label()));
    }

    private static List<LedgerStore.Event> events(Observation o, HostChange change, List<LabelDelta> deltas) {
        List<LedgerStore.Event> events = new ArrayList<>();
        if (change.firstObservation()) {
            events.add(new LedgerStore.Event(Reset.BASELINE.kind(), HOST_WIDE, "first poll stored for this host; "
                    + o.labels().size() + " labels are the baseline"));
        }
        if (change.checksumChanged()) {
            events.add(new LedgerStore.Event("ruleset-changed", HOST_WIDE, "pf_chksum is now " + o.checksum()));
        }
        if (change.pfRestarted()) {
            events.add(new LedgerStore.Event("pf-restarted", HOST_WIDE, "pf_status.since is now " + Long.toUnsignedString(o.since())));
        }
        for (LabelDelta d : deltas) {
            if (d.reset() != Reset.NONE && d.reset() != Reset.BASELINE) {
                events.add(new LedgerStore.Event(d.reset().kind(), d.key(), d.detail()));
            }
        }
        return events;
    }
}
