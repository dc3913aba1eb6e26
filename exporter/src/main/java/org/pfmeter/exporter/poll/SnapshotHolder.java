package org.pfmeter.exporter.poll;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.pfmeter.pf.model.PfSnapshot;

/**
 * The latest snapshot and the poller's counters that go with it, replaced atomically after every
 * poll. Readers (scrapes, MBeans) never wait for a poll: they see the latest value and its age.
 */
public final class SnapshotHolder {

    /** One poll's snapshot with the poller's counters after it. */
    public record Latest(PfSnapshot snapshot, PollStats stats) {

        /** How old the snapshot is at {@code clock}'s now (never negative). */
        public Duration age(Clock clock) {
            Duration d = Duration.between(snapshot.takenAt(), clock.instant());
            return d.isNegative() ? Duration.ZERO : d;
        }
    }

    private volatile Latest latest;

    public Optional<Latest> latest() {
        return Optional.ofNullable(latest);
    }

    void set(PfSnapshot snapshot, PollStats stats) {
        latest = new Latest(snapshot, stats);
    }
}
