package org.pfmeter.accounting.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.accounting.testing.Snapshots.label;
import static org.pfmeter.accounting.testing.Snapshots.snapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.BucketRows;
import org.pfmeter.accounting.store.LedgerStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.accounting.testing.StoredBuckets;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.PfSnapshot;

/**
 * At shutdown each open bucket's journal rows become one ({@link Ledger#mergeJournals}): two
 * databases get the same polls, one merged at each shutdown and one not, and must hold the same
 * ledger (what a restart reads back, what readers see, and, after more polls, every table).
 */
class JournalMergeTest {

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    private static final String SUM = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

    @TempDir
    Path merged;
    @TempDir
    Path unmerged;

    @Test
    void aRestartAfterTheMergeReadsBackTheSameLedgerAndGoesOnIdentically() throws SQLException {
        // 100 polls 2 s apart inside the bucket of 00:00 (the first is the baseline)
        List<PfSnapshot> first = polls(T0.plusSeconds(1), 100, 2);
        run(merged, first, true);
        run(unmerged, first, false);
        assertThat(journal(unmerged)).hasSize(100);
        List<byte[]> rows = journal(merged);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)[0]).as("journal format of a merged row, with its checksum").isEqualTo((byte) 4);
        assertSameLedger();

        // on from there: the merged bucket closes, the next fills and is merged at the next shutdown
        List<PfSnapshot> second = polls(T0.plusSeconds(201), 120, 2);
        run(merged, second, true);
        run(unmerged, second, false);
        assertThat(journal(merged)).hasSize(1);
        assertSameLedger();

        // a bucket whose journal is a merged row and polls after it is merged again
        List<PfSnapshot> third = polls(T0.plusSeconds(441), 20, 2);
        run(merged, third, true);
        run(unmerged, third, false);
        assertThat(journal(merged)).hasSize(1);
        assertSameLedger();

        // and every table is the same once the buckets have closed
        List<PfSnapshot> last = polls(T0.plusSeconds(700), 3, 300);
        run(merged, last, true);
        run(unmerged, last, false);
        assertSameLedger();
        for (String table : List.of("usage_5m", "label_counters", "ledger_event", "host_poll_slot", "pf_host", "series")) {
            assertThat(dump(merged, table)).as(table).isNotEmpty().isEqualTo(dump(unmerged, table));
        }
    }

    @Test
    void pollTimesFinerThanTheDatabaseKeepsAreMergedToo() throws SQLException {
        // a real clock reads nanoseconds, the databases keep microseconds: the ledger must compare
        // its last poll with the stored one at the stored precision
        List<PfSnapshot> polls = new ArrayList<>();
        for (PfSnapshot p : polls(T0.plusSeconds(1), 30, 2)) {
            polls.add(snapshot(p.takenAt().plusNanos(123_456_789), SUM, 20,
                    p.rules().value().orElseThrow().labels().toArray(LabelCounters[]::new)));
        }
        run(merged, polls, true);
        run(unmerged, polls, false);
        assertThat(journal(merged)).hasSize(1);
        assertSameLedger();
    }

    @Test
    void theMergeShrinksTheFileLeftAtShutdown() throws Exception {
        // 140 polls of 500 moving labels 2 s apart: the journal is most of the file
        List<PfSnapshot> polls = new ArrayList<>();
        for (int k = 0; k < 140; k++) {
            List<LabelCounters> labels = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                long v = (long) k * (1000 + i);
                labels.add(label("customers/c" + i / 100, "label-" + i, v, v, v * 100, v * 200));
            }
            polls.add(snapshot(T0.plusSeconds(1 + 2L * k), SUM, 20, labels.toArray(LabelCounters[]::new)));
        }
        run(merged, polls, true);
        run(unmerged, polls, false);
        // a poll's row of 500 labels is one part (JournalParts; rows of several parts: JournalPartsTest)
        assertThat(parts(unmerged)).as("parts of the 140 polls' rows").isEqualTo(140);
        assertThat(parts(merged)).as("parts of the merged row").isEqualTo(1);
        long m = Files.size(merged.resolve(StoreConfig.H2_FILE_NAME + ".mv.db"));
        long u = Files.size(unmerged.resolve(StoreConfig.H2_FILE_NAME + ".mv.db"));
        System.out.printf("after shutdown, 500 labels x 140 polls: merged %d bytes, unmerged %d bytes%n", m, u);
        assertThat(m).as("file after a shutdown with the merge (unmerged: %d bytes)", u).isLessThan(u / 3);
        assertThat(StoredBuckets.all(StoredBuckets.url(merged))).isEqualTo(StoredBuckets.all(StoredBuckets.url(unmerged)));
    }

    // ---------------------------------------------------------------------------------------------

    /** Opens the store, records {@code polls}, merges the journal if told, closes it (as the daemon's stop). */
    private static void run(Path dir, List<PfSnapshot> polls, boolean merge) {
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
            for (PfSnapshot p : polls) {
                RecordResult r = ledger.record("fw1", p);
                assertThat(r.outcome()).as(p.takenAt().toString()).isIn(RecordResult.Outcome.WRITTEN);
            }
            if (merge) {
                assertThat(ledger.mergeJournals().failure()).isEmpty();
            }
        }
    }

    /**
     * Labels with each kind of entry: "web" moves every poll, "mail" only in a few, "idle" never after
     * the baseline, "late" appears later, and "flaky" is reset (its counters go backwards) twice.
     */
    private static List<PfSnapshot> polls(Instant from, int n, long everySeconds) {
        List<PfSnapshot> polls = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Instant t = from.plusSeconds(k * everySeconds);
            long s = Duration.between(T0, t).getSeconds();
            long mail = Math.min(s, 40) + Math.max(0, s - 430) / 50;
            long flaky = s % 97;
            List<LabelCounters> labels = new ArrayList<>(List.of(label("", "web", s, s / 2, s * 1000, s * 300),
                    label("", "mail", mail, mail, mail * 900, mail * 100), label("", "idle", 1, 1, 100, 100),
                    label("", "flaky", flaky, flaky, flaky * 10, flaky * 20)));
            if (s > 100) {
                labels.add(label("office", "late", s - 100, 0, (s - 100) * 64, 0));
            }
            polls.add(snapshot(t, SUM, 20, labels.toArray(LabelCounters[]::new)));
        }
        return polls;
    }

    /** What a restart reads back (the ledger's memory of the host) and what readers see: the same in both. */
    private void assertSameLedger() throws SQLException {
        HostLedger a = read(merged);
        HostLedger b = read(unmerged);
        assertThat(a.lastPolledAt).isEqualTo(b.lastPolledAt);
        assertThat(a.sealedUntil).isEqualTo(b.sealedUntil);
        assertThat(a.latest).isEqualTo(b.latest);
        assertThat(a.open.keySet()).isEqualTo(b.open.keySet());
        a.open.forEach((bucket, x) -> {
            OpenBucket y = b.open.get(bucket);
            assertThat(x.usage).as("usage of the open bucket " + bucket).isEqualTo(y.usage);
            assertThat(x.last).as("counters after the open bucket " + bucket).isEqualTo(y.last);
        });
        List<BucketRows.Row> rows = StoredBuckets.all(StoredBuckets.url(merged));
        assertThat(rows).isNotEmpty().isEqualTo(StoredBuckets.all(StoredBuckets.url(unmerged)));
    }

    private static HostLedger read(Path dir) {
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            return HostLedger.of("fw1", new LedgerStore(store).load("fw1").orElseThrow());
        }
    }

    private static List<byte[]> journal(Path dir) throws SQLException {
        List<byte[]> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(StoreConfig.h2(dir).url()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT entries FROM poll_journal WHERE part = 0 ORDER BY polled_at")) {
            while (rs.next()) {
                rows.add(rs.getBytes(1));
            }
        }
        return rows;
    }

    private static long parts(Path dir) throws SQLException {
        try (Connection c = DriverManager.getConnection(StoreConfig.h2(dir).url()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM poll_journal")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every row of {@code table} as text, sorted. */
    private static List<String> dump(Path dir, String table) throws SQLException {
        Map<String, Integer> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(StoreConfig.h2(dir).url()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder r = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    r.append(md.getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
                }
                rows.merge(r.toString(), 1, Integer::sum);
            }
        }
        List<String> out = new ArrayList<>();
        rows.forEach((r, n) -> out.add(n + "x " + r));
        return out;
    }
}
