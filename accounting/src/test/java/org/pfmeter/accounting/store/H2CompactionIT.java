package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.accounting.testing.Snapshots.label;
import static org.pfmeter.accounting.testing.Snapshots.snapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.ledger.RecordResult;
import org.pfmeter.pf.model.LabelCounters;

/**
 * The embedded H2 file is compacted at close (within {@link StoreConfig#CLOSE_COMPACT_MILLIS}) and
 * on request while open ({@link AccountingStore#compact}), after churn written by the real ledger.
 */
class H2CompactionIT {

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    private static final int LABELS = 200;

    @TempDir
    Path dir;

    @Test
    void theDaemonsUrlCompressesPagesKeepsH2sRetentionAndLeavesTheCompactionAtCloseToTheStore() {
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            assertThat(setting(store, "MAX_COMPACT_TIME")).isEqualTo(Integer.toString(StoreConfig.CLOSE_COMPACT_MILLIS));
            assertThat(setting(store, "WRITE_DELAY")).isEqualTo("0");
            assertThat(setting(store, "COMPRESS")).isEqualTo("TRUE");
            assertThat(setting(store, "RETENTION_TIME")).isEqualTo("45000");
        }
    }

    @Test
    void closingCopiesASmallDatabaseIntoAFullyCompactedFile() throws Exception {
        Path file = dir.resolve("pfmeter.mv.db");
        long whileOpen;
        long rows;
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            churn(store, 150, 10);
            whileOpen = Files.size(file);
            rows = count(store);
        }
        long closed = Files.size(file);
        long compact = fullyCompacted(file);

        // 150 polls of 200 labels leave several MB of dead chunks (all younger than H2's 45 s retention)
        assertThat(whileOpen).isGreaterThan(10 * compact);
        assertThat(closed).isLessThanOrEqualTo(compact + compact / 10);
        assertThat(rowsIn(file)).isEqualTo(rows);
    }

    @Test
    void closingLeavesAnotherConnectionToTheSameDatabaseWorking() throws Exception {
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir));
                Connection other = DriverManager.getConnection(StoreConfig.h2(dir).url())) {
            churn(store, 20, 10);

            store.close();

            try (Statement s = other.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM series")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(LABELS);
            }
        }
    }

    @Test
    void compactingWhileOpenShrinksAFragmentedFileAndKeepsEveryRow() throws Exception {
        // RETENTION_TIME=0 lets H2 reuse a dead chunk at once instead of after 45 s, so the test need
        // not wait; the daemon keeps H2's 45 s (see H2Compaction)
        StoreConfig config = StoreConfig.jdbc(StoreConfig.h2(dir).url() + ";RETENTION_TIME=0", "", "");
        Path file = dir.resolve("pfmeter.mv.db");
        try (AccountingStore store = AccountingStore.open(config)) {
            // a poll every 5 minutes: each closes a bucket of rows; then retention deletes most of
            // them, so the chunks keep a few live pages each
            churn(store, 120, 300);
            new Retention(store, RetentionPolicy.defaults().with(UsageLevel.FIVE_MINUTES, "1h"),
                    Clock.fixed(T0.plus(Duration.ofHours(10)), ZoneOffset.UTC)).run();
            long rows = count(store);
            long before = Files.size(file);

            Optional<Compaction> c = store.compact(Duration.ofSeconds(20));

            assertThat(c).isPresent();
            assertThat(c.get().bytesBefore()).isEqualTo(before);
            assertThat(c.get().bytesAfter()).isEqualTo(Files.size(file));
            // since schema v5 the ledger appends (a journal row a poll, a bucket's rows when it closes)
            // and leaves little dead space; what there is, here from retention, is reclaimed
            assertThat(Files.size(file)).isLessThanOrEqualTo(before);
            assertThat(c.get().fillRate()).isGreaterThanOrEqualTo(H2Compaction.TARGET_FILL_RATE);
            assertThat(count(store)).isEqualTo(rows);
        }
    }

    /** A rule that rewrites any file above 1.5 times its live data, at most every hour of the driven clock. */
    private static final FileRewrite HOURLY = new FileRewrite(1.5, Duration.ofHours(1), 0, Long.MAX_VALUE);

    @Test
    void aBloatedFileIsRewrittenWhileRunningAtMostOnceEveryPeriodAndTheLedgerGoesOn() throws Exception {
        Path file = dir.resolve("pfmeter.mv.db");
        AtomicLong nanos = new AtomicLong();
        Runnable aMinute = () -> nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir), nanos::get, HOURLY)) {
            // 59 minutes: the in-place compaction runs after every poll, but the chunks died less
            // than H2's 45 s retention (of real time) ago, so the file stays several times its live data
            churn(store, 0, 59, 10, aMinute);
            // poll p writes at minute p; the first compaction is a minute after opening
            assertThat(store.upkeep().compactions()).isEqualTo(59);
            assertThat(store.upkeep().rewrites()).isZero();
            long bloated = Files.size(file);
            long compacted = fullyCompacted(file);
            assertThat(bloated).isGreaterThan(3 * compacted);

            // the hour is up: the next write's compaction rewrites the file into a new one
            churn(store, 60, 60, 10, aMinute);
            assertThat(store.upkeep().rewrites()).isEqualTo(1);
            // closed by the rewrite and not opened since: the new file as H2 wrote it
            long rewritten = Files.size(file);
            assertThat(rewritten).isLessThan(bloated / 3);
            // near what a full compaction of a copy of the file made of it a minute earlier (one
            // poll less): 217 against 168 KB here (2026-12-04); H2 packs a copy it opened a little
            // tighter than the database it shuts down, a fixed part that matters in small files
            assertThat(rewritten).isLessThanOrEqualTo(compacted * 3 / 2);
            assertThat(count(store)).isEqualTo(countAfter(60));

            // the ledger writes on into the new file; bloated again, it is not rewritten within the hour
            churn(store, 61, 119, 10, aMinute);
            assertThat(Files.size(file)).isGreaterThan(3 * rewritten);
            assertThat(store.upkeep().rewrites()).isEqualTo(1);
            churn(store, 120, 125, 10, aMinute);
            assertThat(store.upkeep().rewrites()).isEqualTo(2);
            assertThat(store.upkeep().rewriteTime()).isPositive();
        }
        try (AccountingStore reopened = AccountingStore.open(StoreConfig.h2(dir))) {
            assertThat(count(reopened)).isEqualTo(countAfter(125));
        }
    }

    @Test
    void aRewriteWaitsWhileAnotherSessionHasTheDatabaseOpen() throws Exception {
        AtomicLong nanos = new AtomicLong();
        Runnable aMinute = () -> nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir), nanos::get, HOURLY)) {
            try (Connection reader = DriverManager.getConnection(StoreConfig.h2(dir).url())) {
                churn(store, 0, 70, 10, aMinute);
                assertThat(store.upkeep().rewrites()).isZero();
                assertThat(store.upkeep().rewritesSkipped()).isGreaterThanOrEqualTo(10);
                try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM series")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(LABELS);
                }
            }
            // the reader is gone: the next write's compaction rewrites at once (its hour is long up)
            churn(store, 71, 71, 10, aMinute);
            assertThat(store.upkeep().rewrites()).isEqualTo(1);
            assertThat(count(store)).isEqualTo(countAfter(71));
        }
    }

    @Test
    void billingThroughTheReadServerWorksBeforeAndAfterARewrite() throws Exception {
        AtomicLong nanos = new AtomicLong();
        Runnable aMinute = () -> nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir), nanos::get, HOURLY);
                ReadServer server = ReadServer.start(store)) {
            churn(store, 0, 59, 10, aMinute);
            // announced: openForReading goes through the server (the file is this process's, open)
            assertThat(dir.resolve(ReadServer.FILE_NAME)).exists();
            try (AccountingStore reader = AccountingStore.openForReading(StoreConfig.h2(dir))) {
                assertThat(count(reader)).isEqualTo(count(store));
            }
            // the reader has gone: the hour's rewrite runs, closing the database under the server
            churn(store, 60, 60, 10, aMinute);
            assertThat(store.upkeep().rewrites()).isEqualTo(1);
            try (AccountingStore reader = AccountingStore.openForReading(StoreConfig.h2(dir))) {
                assertThat(count(reader)).isEqualTo(countAfter(60));
                // the writer goes on beside a reader of the new file
                churn(store, 61, 62, 10, aMinute);
                assertThat(count(reader)).isEqualTo(countAfter(62));
            }
        }
    }

    /** The rows {@link #churn} leaves after polls 0 to {@code last}, counted in a fresh database written without any rewrite. */
    private long countAfter(int last) throws Exception {
        Path other = Files.createDirectories(dir.resolve("reference-" + last));
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(other))) {
            churn(store, last, 10);
            return count(store);
        }
    }

    /** Polls {@code seconds} apart in which every label's counters move, written by the real ledger. */
    private static void churn(AccountingStore store, int polls, long seconds) {
        churn(store, 0, polls, seconds, () -> { });
    }

    /** As {@link #churn(AccountingStore, int, long)}, polls {@code from} to {@code to}, running {@code afterPoll} after each. */
    private static void churn(AccountingStore store, int from, int to, long seconds, Runnable afterPoll) {
        Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
        for (int p = from; p <= to; p++) {
            LabelCounters[] labels = new LabelCounters[LABELS];
            for (int i = 0; i < LABELS; i++) {
                long v = (long) p * (100 + i);
                labels[i] = label("customers/c" + (i / 50), "label-" + i, v, v, v * 1000, v * 2000);
            }
            RecordResult r = ledger.record("fw1", snapshot(T0.plusSeconds(seconds * p), "s", 1, labels));
            assertThat(r.outcome()).isEqualTo(RecordResult.Outcome.WRITTEN);
            afterPoll.run();
        }
    }

    private static long count(AccountingStore store) {
        return store.query("count", c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM usage_5m) + (SELECT COUNT(*) FROM label_counters)"
                            + " + (SELECT COUNT(*) FROM poll_journal)")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private long rowsIn(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + file.getParent().resolve("pfmeter") + ";ACCESS_MODE_DATA=r");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM usage_5m) + (SELECT COUNT(*) FROM label_counters)"
                            + " + (SELECT COUNT(*) FROM poll_journal)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String setting(AccountingStore store, String name) {
        return store.query("read a setting", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    /** The size of a copy of {@code file} after H2's unbounded SHUTDOWN COMPACT. */
    private long fullyCompacted(Path file) throws Exception {
        Path copyDir = Files.createTempDirectory(dir, "copy");
        Files.copy(file, copyDir.resolve("pfmeter.mv.db"));
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + copyDir.resolve("pfmeter"));
                Statement s = c.createStatement()) {
            s.execute("SHUTDOWN COMPACT");
        } catch (SQLException closedUnderUs) {
            // H2 closes the session as it shuts down
        }
        return Files.size(copyDir.resolve("pfmeter.mv.db"));
    }
}
