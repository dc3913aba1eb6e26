package org.pfmeter.accounting.ledger;

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
     * @param latest every label's latest stored raw counters and when they were read
     */
    public record Previous(String checksum, long since, Map<LabelKey, StoredCounters> latest) {
        public Previous {
            Objects.requireNonNull(checksum, "checksum");
            Objects.requireNonNull(latest, "latest");
        }
    }

    /**
     * @param deltas      one per label of the poll, in the poll's order
     * @param entries     what the journal stores: labels whose raw counters changed or that moved
     * @param resets      labels counted at their current value (not the baseline)
     * @param implausible labels with a counter too large to count
     */
    public record Accounted(HostChange change, List<LabelDelta> deltas, List<JournalEntry> entries,
                            List<LedgerStore.Event> events, int resets, long implausible) {
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
        Map<LabelKey, StoredCounters> latest = previous.map(Previous::latest).orElse(Map.of());
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
            StoredCounters before = latest.get(l.key());
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
        return new Accounted(change, deltas, entries, events(o, change, deltas), resets, implausible);
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
