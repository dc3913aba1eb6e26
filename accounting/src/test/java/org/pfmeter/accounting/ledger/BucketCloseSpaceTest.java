package org.pfmeter.accounting.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.accounting.testing.Snapshots.label;
import static org.pfmeter.accounting.testing.Snapshots.snapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.model.LabelCounters;

/**
 * The space of the journal rows a bucket close deletes is reused on H2 2.5.252: the real ledger
 * writes polls of 1,000 moving labels 300 s apart (every poll closes the bucket before it and
 * deletes its journal row of about 31 KB) into an H2 file, and
 * the open file must stay close to what H2's full compaction makes of it.
 *
 * <p>Without {@code LedgerStore}'s rewrite of the remaining journal rows in the close (see
 * {@code LedgerStore.touchJournalAfter}) H2 2.5.252 counts one page of every close live for ever,
 * and keeps the chunk it is in: measured 2026-12-03 (parts of 256 KiB, so a poll's row is one row),
 * this test's open file was 38.1 MB without it and 4.7 MB with it, against 4.2 MB compacted (9.0x
 * and 1.11x); with parts of 16 KiB, 7.5 MB and 4.6 MB. The difference grows with every close.
 */
class BucketCloseSpaceTest {

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    private static final String SUM = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private static final int LABELS = 1_000;
    private static final int POLLS = 120;

    @TempDir
    Path dir;

    @Test
    void theJournalsOfClosedBucketsLeaveNoSpaceBehind() throws Exception {
        Path file = dir.resolve(StoreConfig.H2_FILE_NAME + ".mv.db");
        // RETENTION_TIME=0 lets H2 reuse a dead chunk at once instead of after 45 s of real time (as
        // H2CompactionIT does), so the polls need not be paced: what stays is what H2 never frees
        StoreConfig config = StoreConfig.jdbc(StoreConfig.h2(dir).url() + ";RETENTION_TIME=0", "", "");
        long open;
        long compacted;
        try (AccountingStore store = AccountingStore.open(config)) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
            for (int k = 0; k < POLLS; k++) {
                RecordResult r = ledger.record("fw1", poll(k));
                assertThat(r.outcome()).as("poll %d", k).isEqualTo(RecordResult.Outcome.WRITTEN);
                // as the daemon does after its writes (there at most once a minute)
                store.compact(Duration.ofSeconds(2));
            }
            open = Files.size(file);
            compacted = compactedCopy(file);
        }
        System.out.printf("%d polls of %d labels, a bucket closed by each: open file %d bytes, compacted %d bytes%n",
                POLLS, LABELS, open, compacted);
        assertThat(open).as("the open file against its full compaction (%d bytes)", compacted).isLessThan(compacted * 13 / 10);
    }

    /** Poll {@code k}: every label's counters moved, 300 s after poll {@code k - 1}. */
    private static org.pfmeter.pf.model.PfSnapshot poll(int k) {
        List<LabelCounters> labels = new ArrayList<>(LABELS);
        for (int i = 0; i < LABELS; i++) {
            long v = (long) (k + 1) * (1000 + i);
            labels.add(label("customers/c" + i / 100, "label-" + i, v, v, v * 100, v * 200));
        }
        return snapshot(T0.plusSeconds(1 + 300L * k), SUM, 20, labels.toArray(LabelCounters[]::new));
    }

    /** A copy of the open file (between two commits, so what a kill -9 would leave), fully compacted; its size. */
    private long compactedCopy(Path file) throws Exception {
        Path copy = Files.createDirectories(dir.resolve("copy"));
        Files.copy(file, copy.resolve(file.getFileName()));
        StoreConfig c = StoreConfig.h2(copy);
        try (Connection conn = DriverManager.getConnection(c.url(), c.user(), c.password());
             Statement st = conn.createStatement()) {
            st.execute("SHUTDOWN COMPACT");
        }
        return Files.size(copy.resolve(file.getFileName()));
    }
}
