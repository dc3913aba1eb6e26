package org.pfmeter.accounting.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.accounting.testing.Snapshots.bytes;
import static org.pfmeter.accounting.testing.Snapshots.snapshot;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.BucketRows;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.accounting.testing.StoredBuckets;
import org.pfmeter.pf.sim.SimClock;

/**
 * The wall clock that stamps polls jumps (issue 19, point 5): a poll stamped years ahead, NTP steps
 * back and forth. No poll is skipped, no byte is lost or counted twice, no bucket is written after
 * it closed, and each jump is counted.
 */
class ClockJumpTest {

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    private static final Instant Y2031 = Instant.parse("2031-06-01T12:00:00Z");
    private static final String SUM = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    @TempDir
    Path dir;

    private AccountingStore open() {
        return AccountingStore.open(StoreConfig.h2(dir));
    }

    private long sum(String label) throws SQLException {
        return StoredBuckets.sum(StoredBuckets.url(dir), "bytes_in", label);
    }

    private List<String> buckets() throws SQLException {
        List<String> rows = new ArrayList<>();
        for (BucketRows.Row r : StoredBuckets.all(StoredBuckets.url(dir))) {
            rows.add(r.bucket() + " " + r.usage().bytesIn());
        }
        return rows;
    }

    /**
     * Written against the code before the fix (e98707b), where it fails: after the poll stamped in
     * 2031 every later poll came back SKIPPED_STALE, its traffic was never booked, and nothing was
     * logged. The ledger here has no monotonic clock (as before the fix), so it cannot tell the 2031
     * poll from a long pause: the later polls are booked just after it, never skipped.
     */
    @Test
    void aPollStampedYearsAheadDoesNotStopTheAccountingOfTheLaterPolls() throws SQLException {
        try (AccountingStore store = open()) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
            ledger.record("fw1", snapshot(T0, SUM, 20, bytes("web", 1000, 0)));
            ledger.record("fw1", snapshot(T0.plusSeconds(60), SUM, 20, bytes("web", 2000, 0)));
            assertThat(ledger.record("fw1", snapshot(Y2031, SUM, 20, bytes("web", 3000, 0))).outcome())
                    .isEqualTo(RecordResult.Outcome.WRITTEN);
            for (int i = 2; i <= 5; i++) {
                RecordResult r = ledger.record("fw1", snapshot(T0.plusSeconds(60L * i), SUM, 20, bytes("web", 3000 + 1000L * i, 0)));
                assertThat(r.outcome()).as("poll %d, back at the right time", i).isEqualTo(RecordResult.Outcome.WRITTEN);
            }
        }
        assertThat(sum("web")).as("every byte after the baseline, once").isEqualTo(7000);
    }

    @Test
    void withTheMonotonicClockAPollFromTheFarFutureIsBookedWhereItBelongsAndBothJumpsAreCounted() throws SQLException {
        SimClock elapsed = SimClock.manual(Instant.EPOCH);
        try (AccountingStore store = open()) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC), Optional.of(elapsed));
            Instant[] stamps = {T0.plusSeconds(10), T0.plusSeconds(310), Y2031, T0.plusSeconds(910), T0.plusSeconds(1210)};
            for (int i = 0; i < stamps.length; i++) {
                RecordResult r = ledger.record("fw1", snapshot(stamps[i], SUM, 20, bytes("web", 1000 * (i + 1L), 0)));
                assertThat(r.outcome()).isEqualTo(RecordResult.Outcome.WRITTEN);
                elapsed.advance(Duration.ofMinutes(5));
            }
            LedgerStats s = ledger.stats();
            assertThat(s.clockJumpsForward()).isEqualTo(1);
            assertThat(s.clockJumpsBackward()).isEqualTo(1);
            assertThat(s.stalePolls()).isZero();
            assertThat(s.lastClockJump()).hasValueSatisfying(j -> {
                assertThat(j.forward()).isFalse();
                assertThat(j.describe()).contains("fw1", "jumped backward");
            });
        }
        // the 2031 poll is booked 5 minutes after the previous one: each poll in its own bucket (by its
        // start; the first poll is the baseline), none in 2031
        assertThat(buckets()).containsExactly(
                "2026-10-01T00:05:00Z 1000",
                "2026-10-01T00:10:00Z 1000",
                "2026-10-01T00:15:00Z 1000",
                "2026-10-01T00:20:00Z 1000");
        assertThat(sum("web")).isEqualTo(4000);
    }

    @Test
    void aWallClockThatStaysAheadIsBelievedAfterTheSettleTimeAndTheGapStaysEmpty() throws SQLException {
        SimClock elapsed = SimClock.manual(Instant.EPOCH);
        try (AccountingStore store = open()) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC), Optional.of(elapsed));
            long counter = 0;
            Duration ahead = Duration.ZERO;
            for (int minute = 0; minute <= 30; minute++) {
                if (minute == 10) {
                    ahead = Duration.ofHours(1);   // the host was paused for an hour, or NTP stepped the clock
                }
                counter += 100;
                Instant stamp = T0.plusSeconds(60L * minute + 1).plus(ahead);
                assertThat(ledger.record("fw1", snapshot(stamp, SUM, 20, bytes("web", counter, 0))).outcome())
                        .isEqualTo(RecordResult.Outcome.WRITTEN);
                elapsed.advance(Duration.ofMinutes(1));
            }
            assertThat(ledger.stats().clockJumpsForward()).isEqualTo(1);
            assertThat(ledger.stats().clockJumpsBackward()).isZero();
        }
        List<String> buckets = buckets();
        // (buckets by their start) minutes 10 to 19 stay on the elapsed time (the settle time, 10
        // minutes), then the wall clock is believed and the hour it skipped stays empty
        assertThat(buckets).containsExactly(
                "2026-10-01T00:00:00Z 400",
                "2026-10-01T00:05:00Z 500",
                "2026-10-01T00:10:00Z 500",
                "2026-10-01T00:15:00Z 500",
                "2026-10-01T01:20:00Z 500",
                "2026-10-01T01:25:00Z 500",
                "2026-10-01T01:30:00Z 100");
        assertThat(sum("web")).isEqualTo(3000);
    }

    @Test
    void aWallClockSteppedBackIsNeverBookedIntoAClosedBucket() throws SQLException {
        SimClock elapsed = SimClock.manual(Instant.EPOCH);
        try (AccountingStore store = open()) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC), Optional.of(elapsed));
            long counter = 0;
            Duration behind = Duration.ZERO;
            for (int minute = 0; minute <= 40; minute++) {
                if (minute == 12) {
                    behind = Duration.ofMinutes(20);
                }
                counter += 100;
                Instant stamp = T0.plusSeconds(60L * minute + 1).minus(behind);
                assertThat(ledger.record("fw1", snapshot(stamp, SUM, 20, bytes("web", counter, 0))).outcome())
                        .as("minute %d", minute).isEqualTo(RecordResult.Outcome.WRITTEN);
                elapsed.advance(Duration.ofMinutes(1));
            }
            assertThat(ledger.stats().clockJumpsBackward()).isEqualTo(1);
            assertThat(ledger.stats().clockJumpsForward()).isZero();
        }
        // (buckets by their start) on the elapsed time for the settle time (minutes 12 to 21), then in
        // the open bucket (00:20) until the wall clock passes it (after this run), never in an earlier one
        assertThat(buckets()).containsExactly(
                "2026-10-01T00:00:00Z 400",
                "2026-10-01T00:05:00Z 500",
                "2026-10-01T00:10:00Z 500",
                "2026-10-01T00:15:00Z 500",
                "2026-10-01T00:20:00Z 2100");
        assertThat(sum("web")).isEqualTo(4000);
    }

    @Test
    void afterARestartAPollStampedBeforeTheLastStoredOneIsBookedJustAfterItAndCounted() throws SQLException {
        try (AccountingStore store = open()) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC), Optional.of(SimClock.manual(Instant.EPOCH)));
            ledger.record("fw1", snapshot(T0.plusSeconds(10), SUM, 20, bytes("web", 1000, 0)));
            ledger.record("fw1", snapshot(T0.plusSeconds(70), SUM, 20, bytes("web", 2000, 0)));
        }
        try (AccountingStore store = open()) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC), Optional.of(SimClock.manual(Instant.EPOCH)));
            // the same poll again: a retry of a commit that went through, skipped
            assertThat(ledger.record("fw1", snapshot(T0.plusSeconds(70), SUM, 20, bytes("web", 2000, 0))).outcome())
                    .isEqualTo(RecordResult.Outcome.SKIPPED_STALE);
            // a new poll whose clock went back across the restart: nothing to compare with but the stored poll
            assertThat(ledger.record("fw1", snapshot(T0.plusSeconds(30), SUM, 20, bytes("web", 2500, 0))).outcome())
                    .isEqualTo(RecordResult.Outcome.WRITTEN);
            assertThat(ledger.stats().clockJumpsBackward()).isEqualTo(1);
            assertThat(ledger.stats().lastClockJump().orElseThrow().bookedAt()).isEqualTo(T0.plusSeconds(70).plusNanos(1000));
        }
        assertThat(buckets()).containsExactly("2026-10-01T00:00:00Z 1500");
    }
}
