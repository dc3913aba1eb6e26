package org.pfmeter.accounting.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.accounting.testing.Snapshots.bytes;
import static org.pfmeter.accounting.testing.Snapshots.label;
import static org.pfmeter.accounting.testing.Snapshots.snapshot;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.LedgerStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.accounting.store.StoreException;
import org.pfmeter.accounting.store.BucketRows;
import org.pfmeter.accounting.testing.Snapshots;
import org.pfmeter.accounting.testing.StoredBuckets;

/** The ledger against a real H2 file. */
class LedgerTest {

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    private static final String SUM = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    @TempDir
    Path dir;

    private AccountingStore open() {
        return AccountingStore.open(StoreConfig.h2(dir));
    }

    private static Ledger ledger(AccountingStore store, int backlog) {
        return new Ledger(store, new LedgerOptions(backlog), Clock.fixed(T0, ZoneOffset.UTC));
    }

    /** Closed and open buckets: what the ledger booked, whether or not its bucket has closed. */
    private long sum(String column, String label) throws SQLException {
        return StoredBuckets.sum(StoredBuckets.url(dir), column, label);
    }

    @Test
    void deltasAreBookedInFiveMinuteBucketsInsertedWhenTheyClose() throws SQLException {
        try (AccountingStore store = open()) {
            Ledger ledger = ledger(store, 10);
            assertThat(ledger.record("fw1", snapshot(T0, SUM, 20, bytes("web", 1000, 500))).outcome())
                    .isEqualTo(RecordResult.Outcome.WRITTEN);
            ledger.record("fw1", snapshot(T0.plusSeconds(60), SUM, 20, bytes("web", 4000, 1500)));
            ledger.record("fw1", snapshot(T0.plusSeconds(300), SUM, 20, bytes("web", 9000, 2500)));   // closes 00:00
            ledger.record("fw1", snapshot(T0.plusSeconds(301), SUM, 20, bytes("web", 9100, 2600)));   // opens 00:05
        }
        assertThat(sum("bytes_in", "web")).isEqualTo(8100);
        assertThat(sum("bytes_out", "web")).isEqualTo(2100);
        List<String> rows = new ArrayList<>();
        for (BucketRows.Row r : StoredBuckets.all(StoredBuckets.url(dir))) {
            rows.add(r.bucket() + " " + r.usage().bytesIn() + " " + r.usage().polls() + (r.open() ? " open" : " closed"));
        }
        // the first bucket closed when the poll of 00:05:01 opened the next, which is in the journal
        assertThat(rows).containsExactly("2026-10-01T00:00:00Z 8000 2 closed", "2026-10-01T00:05:00Z 100 1 open");
        try (Connection c = DriverManager.getConnection(StoreConfig.h2(dir).url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM poll_journal")) {
            rs.next();
            assertThat(rs.getInt(1)).as("journal rows: the poll of the open bucket only").isEqualTo(1);
        }
    }

    @Test
    void aRestartContinuesFromTheStoredCountersWithoutLosingOrRepeating() throws SQLException {
        try (AccountingStore store = open()) {
            Ledger ledger = ledger(store, 10);
            ledger.record("fw1", snapshot(T0, SUM, 20, bytes("web", 1000, 0)));
            ledger.record("fw1", snapshot(T0.plusSeconds(60), SUM, 20, bytes("web", 2000, 0)));
        }
        try (AccountingStore store = open()) {
            Ledger ledger = ledger(store, 10);
            // the same poll again (a retry whose first commit did go through): counted once
            RecordResult again = ledger.record("fw1", snapshot(T0.plusSeconds(60), SUM, 20, bytes("web", 2000, 0)));
            assertThat(again.outcome()).isEqualTo(RecordResult.Outcome.SKIPPED_STALE);
            ledger.record("fw1", snapshot(T0.plusSeconds(120), SUM, 20, bytes("web", 3500, 0)));
        }
        assertThat(sum("bytes_in", "web")).isEqualTo(2500);
    }

    @Test
    void rawCountersAbove2To63RoundTripThroughTheDatabase() throws SQLException {
        long near64 = -1_000_000_000L;                  // 2^64 − 10^9
        try (AccountingStore store = open()) {
            Ledger ledger = ledger(store, 10);
            ledger.record("fw1", snapshot(T0, SUM, 20, label("", "big", near64, Long.MIN_VALUE, near64, Long.MAX_VALUE)));
            // a poll in a later bucket closes the first: its counters move from the journal to label_counters
            ledger.record("fw1", snapshot(T0.plusSeconds(400), SUM, 20, label("", "big", near64, Long.MIN_VALUE, near64, Long.MAX_VALUE)));
        }
        try (Connection c = DriverManager.getConnection(StoreConfig.h2(dir).url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT packets_in, packets_out, bytes_in, bytes_out FROM label_counters")) {
            rs.next();
            assertThat(rs.getBigDecimal(1)).isEqualTo(new BigDecimal("18446744072709551616"));
            assertThat(rs.getBigDecimal(2)).isEqualTo(new BigDecimal("9223372036854775808"));
            assertThat(rs.getBigDecimal(3)).isEqualTo(new BigDecimal("18446744072709551616"));
            assertThat(rs.getBigDecimal(4)).isEqualTo(new BigDecimal("9223372036854775807"));
        }
        try (AccountingStore store = open()) {
            Ledger ledger = ledger(store, 10);
            // across the 2^64 wrap and across 2^63, read back from the database after a restart
            RecordResult r = ledger.record("fw1", snapshot(T0.plusSeconds(460), SUM, 20,
                    label("", "big", near64 + 1_500_000_000L, Long.MIN_VALUE + 7, 999_999_999L + 1_000_000_000L,
                            Long.MIN_VALUE + 20)));
            LabelDelta d = r.deltas().get(0);
            assertThat(d.reset()).isEqualTo(Reset.NONE);
            assertThat(d.packetsIn()).isEqualTo(1_500_000_000L);
            assertThat(d.packetsOut()).isEqualTo(7);
            assertThat(d.bytesIn()).isEqualTo(2_999_999_999L);
            assertThat(d.bytesOut()).isEqualTo(21);
        }
    }

    @Test
    void resetsAreCountedAndExplainedInTheAuditTrail() throws SQLException {
        try (AccountingStore store = open()) {
            Ledger ledger = ledger(store, 10);
            ledger.record("fw1", snapshot(T0, SUM, 20, bytes("web", 5000, 0)));
            ledger.record("fw1", snapshot(T0.plusSeconds(60), SUM, 20, bytes("web", 9000, 0)));
            RecordResult zeroed = ledger.record("fw1", snapshot(T0.plusSeconds(120), SUM, 20, bytes("web", 700, 0)));
            assertThat(zeroed.deltas().get(0).reset()).isEqualTo(Reset.COUNTERS_BACKWARDS);
            RecordResult reloaded = ledger.record("fw1", snapshot(T0.plusSeconds(180), "ffff", 20, bytes("web", 50_000, 0)));
            assertThat(reloaded.deltas().get(0).reset()).isEqualTo(Reset.RULESET_RELOADED);
            assertThat(ledger.stats().resets()).isEqualTo(2);
        }
        assertThat(sum("bytes_in", "web")).isEqualTo(4000 + 700 + 50_000);
        assertThat(sum("resets", "web")).isEqualTo(2);
        try (Connection c = DriverManager.getConnection(StoreConfig.h2(dir).url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT kind, label, detail FROM ledger_event ORDER BY event_at, kind")) {
            List<String> events = new ArrayList<>();
            while (rs.next()) {
                events.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
            }
            assertThat(events).containsExactly(
                    "baseline||first poll stored for this host; 1 labels are the baseline",
                    "counters-backwards|web|evaluations 9 -> 0",
                    "ruleset-changed||pf_chksum is now ffff",
                    "ruleset-reloaded|web|pf_chksum changed");
        }
    }

    @Test
    void pollsWithoutRulesAreSkippedAndCountNothing() {
        try (AccountingStore store = open()) {
            Ledger ledger = ledger(store, 10);
            ledger.record("fw1", snapshot(T0, SUM, 20, bytes("web", 1000, 0)));
            assertThat(ledger.record("fw1", Snapshots.withoutRules(T0.plusSeconds(60), SUM, 20)).outcome())
                    .isEqualTo(RecordResult.Outcome.SKIPPED_INCOMPLETE);
            assertThat(ledger.record("fw1", snapshot(T0.plusSeconds(120), SUM, 20, bytes("web", 3000, 0))).deltas().get(0).bytesIn())
                    .isEqualTo(2000);
            assertThat(ledger.stats().skippedPolls()).isEqualTo(1);
        }
    }

    @Test
    void aLockedDatabaseKeepsPollsInTheBacklogAndWritesThemWhenItComesBack() throws SQLException {
        try (AccountingStore store = open()) {
            Ledger ledger = ledger(store, 3);
            ledger.record("fw1", snapshot(T0, SUM, 20, bytes("web", 1000, 0)));
            try (Connection admin = DriverManager.getConnection(StoreConfig.h2(dir).url());
                 Statement s = admin.createStatement()) {
                // exclusive mode: the ledger's connection is closed and new ones are refused
                s.execute("SET EXCLUSIVE 2");
                for (int i = 1; i <= 5; i++) {
                    RecordResult r = ledger.record("fw1", snapshot(T0.plusSeconds(60L * i), SUM, 20, bytes("web", 1000 + 1000L * i, 0)));
                    assertThat(r.outcome()).isEqualTo(RecordResult.Outcome.BACKLOGGED);
                    assertThat(r.error().orElseThrow().kind()).as(r.error().orElseThrow().getMessage()).isEqualTo(StoreException.Kind.LOCKED);
                    assertThat(r.error().orElseThrow().getMessage()).contains(dir.toString()).contains("another process");
                }
                LedgerStats st = ledger.stats();
                assertThat(st.backlog()).isEqualTo(3);
                assertThat(st.droppedPolls()).isEqualTo(2);
                assertThat(st.droppedLabelRows()).isEqualTo(2);
                assertThat(st.lastWriteErrorKind()).contains("locked");
                s.execute("SET EXCLUSIVE 0");
            }
            assertThat(ledger.flush()).isEqualTo(3);
            assertThat(ledger.stats().backlog()).isZero();
            assertThat(ledger.stats().lastWriteError()).isEmpty();
        }
        // the two dropped polls lost no bytes: the next stored poll's delta covers them
        assertThat(sum("bytes_in", "web")).isEqualTo(5000);
    }

    /** The daemon's split: the poller only enqueues, a writer drains the backlog in order. */
    @Test
    void enqueuedPollsAreWrittenInOrderByDrainAndAFullBacklogDropsTheOldest() throws SQLException {
        try (AccountingStore store = open()) {
            Ledger ledger = ledger(store, 3);
            assertThat(ledger.enqueue("fw1", snapshot(T0, SUM, 20, bytes("web", 1000, 0)))).isTrue();
            assertThat(ledger.drain().written()).isEqualTo(1);
            for (int i = 1; i <= 4; i++) {
                assertThat(ledger.enqueue("fw1", snapshot(T0.plusSeconds(60L * i), SUM, 20, bytes("web", 1000 + 1000L * i, 0)))).isTrue();
            }
            assertThat(ledger.enqueue("fw1", Snapshots.withoutRules(T0.plusSeconds(300), SUM, 20))).isFalse();
            LedgerStats queued = ledger.stats();
            assertThat(queued.backlog()).isEqualTo(3);
            assertThat(queued.droppedPolls()).isEqualTo(1);
            assertThat(queued.skippedPolls()).isEqualTo(1);
            assertThat(queued.writtenPolls()).isEqualTo(1);
            assertThat(sum("bytes_in", "web")).isZero();

            RecordResult r = ledger.drain();
            assertThat(r.outcome()).isEqualTo(RecordResult.Outcome.WRITTEN);
            assertThat(r.written()).isEqualTo(3);
            assertThat(ledger.stats().backlog()).isZero();
            // a second drain finds nothing, and writes nothing twice
            assertThat(ledger.drain().written()).isZero();
            assertThat(ledger.stats().writtenPolls()).isEqualTo(4);
        }
        assertThat(sum("bytes_in", "web")).isEqualTo(4000);
    }

    @Test
    void hostsShareADatabaseWithoutTouchingEachOthersRows() throws SQLException {
        try (AccountingStore store = open()) {
            Ledger ledger = ledger(store, 10);
            ledger.record("fw1", snapshot(T0, SUM, 20, bytes("web", 1000, 0)));
            ledger.record("fw2", snapshot(T0, "other", 5, bytes("web", 7000, 0)));
            ledger.record("fw1", snapshot(T0.plusSeconds(60), SUM, 20, bytes("web", 1500, 0)));
            ledger.record("fw2", snapshot(T0.plusSeconds(60), "other", 5, bytes("web", 7100, 0)));
            assertThat(store.hosts()).containsExactly("fw1", "fw2");
        }
        assertThat(sum("bytes_in", "web")).isEqualTo(600);
    }

    /**
     * A scrape reads the ledger's counters while a poll is being written; it must not wait for the
     * database (a write of 5,000 labels takes a good part of a second, a stuck database much longer).
     */
    @Test
    void statsDoNotWaitForAWriteInProgress() throws Exception {
        try (AccountingStore store = open()) {
            Ledger ledger = ledger(store, 10);
            ledger.record("fw1", snapshot(T0, SUM, 20, bytes("web", 1000, 500)));
            java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            Thread database = new Thread(() -> store.inTransaction("hold the write connection", c -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            database.start();
            holding.await();
            Thread writer = new Thread(() -> ledger.record("fw1", snapshot(T0.plusSeconds(60), SUM, 20, bytes("web", 4000, 1500))));
            writer.start();
            try {
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                while (writer.getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertThat(writer.getState()).as("the second poll waits for the database").isEqualTo(Thread.State.BLOCKED);
                LedgerStats during = java.util.concurrent.CompletableFuture.supplyAsync(ledger::stats)
                        .get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(during.writtenPolls()).isEqualTo(1);
            } finally {
                release.countDown();
                writer.join();
                database.join();
            }
            assertThat(ledger.stats().writtenPolls()).isEqualTo(2);
            assertThat(ledger.stats().backlog()).isZero();
        }
    }

    /**
     * A kill between a poll's commit and the close of the bucket before it: the bucket stays in the
     * journal beside the poll's, and after the restart the next poll closes both, counting each poll
     * once. The "killed" daemon's last poll is stored with the store's own calls, exactly as the
     * ledger stores it before it closes a bucket.
     */
    @Test
    void aKillBetweenAPollAndItsBucketCloseLosesNothingAndCountsNothingTwice() throws SQLException {
        try (AccountingStore store = open()) {
            Ledger ledger = ledger(store, 10);
            ledger.record("fw1", snapshot(T0, SUM, 20, bytes("web", 1000, 10)));
            ledger.record("fw1", snapshot(T0.plusSeconds(100), SUM, 20, bytes("web", 3000, 30)));   // bucket 00:00
        }
        try (AccountingStore store = open()) {
            LedgerStore tables = new LedgerStore(store);
            LedgerStore.StoredHost stored = tables.load("fw1").orElseThrow();
            Observation o = Observation.of("fw1", snapshot(T0.plusSeconds(400), SUM, 20, bytes("web", 7000, 70))).orElseThrow();
            PollAccounting.Accounted a = PollAccounting.account(Optional.of(new PollAccounting.Previous(SUM, 20,
                    HostLedger.of("fw1", stored).latest)), o);
            assertThat(tables.writePoll(new LedgerStore.PollWrite("fw1", o.takenAt(), SUM, 20,
                    Optional.of(stored.host().lastPolledAt()), true, a.entries(), a.events()))).isTrue();
            store.abandon();                                                 // kill -9: bucket 00:00 never closed
        }
        try (AccountingStore store = open()) {
            Ledger ledger = ledger(store, 10);
            ledger.record("fw1", snapshot(T0.plusSeconds(700), SUM, 20, bytes("web", 8000, 80)));   // bucket 00:10
        }
        List<String> rows = new ArrayList<>();
        for (BucketRows.Row r : StoredBuckets.all(StoredBuckets.url(dir))) {
            rows.add(r.bucket() + " " + r.usage().bytesIn() + " " + r.usage().polls() + (r.open() ? " open" : " closed"));
        }
        assertThat(rows).containsExactly("2026-10-01T00:00:00Z 2000 1 closed", "2026-10-01T00:05:00Z 4000 1 closed",
                "2026-10-01T00:10:00Z 1000 1 open");
        assertThat(sum("bytes_in", "web")).isEqualTo(8000 - 1000);
    }
}
