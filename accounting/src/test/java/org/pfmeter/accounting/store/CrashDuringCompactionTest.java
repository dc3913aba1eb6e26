package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.accounting.testing.Snapshots.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.store.fs.Recorder;
import org.h2.store.fs.rec.FilePathRec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.ledger.RecordResult;

/**
 * kill -9 at any instant <em>during</em> a compaction run ({@link H2Compaction#run}, the only time
 * H2 may write into holes of the file) loses nothing committed: every crash image opens and holds
 * the ledger as it was committed, row for row.
 *
 * <p>The seam is H2's own recording file system ({@code jdbc:h2:rec:}, {@link FilePathRec}): it
 * calls a {@link Recorder} after every write and before every truncate of the database file. The
 * file changes only through those calls, so copying it at each of them, while a compaction runs,
 * captures every state a kill -9 can leave during the run (every write is with the operating
 * system when the call returns; {@code force} changes nothing a process crash can see): after each
 * chunk rewritten or moved, after each store header, and right before the file is cut; the state
 * after the cut is the next image or the one taken when the run has returned. No thread, no sleep:
 * the images are taken on the compacting thread itself.
 *
 * <p>{@code RETENTION_TIME=0} stands in for chunks older than H2's 45 s retention (as in
 * {@link CrashAfterEveryCommitTest}): every dead chunk is free at once, so the run has holes to
 * fill, chunks to move and a tail to cut, and may overwrite a chunk the moment it is dead, which
 * is harsher than the daemon, where a chunk freed in the last 45 s is never overwritten.
 */
class CrashDuringCompactionTest {

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    /** Polls between two compactions: the file grows append-only meanwhile, as between the daemon's runs. */
    private static final int POLLS_PER_ROUND = 24;
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    @Test
    void aCrashAtAnyWriteOrTruncateOfACompactionKeepsEveryCommittedPoll() throws Exception {
        CrashImages images = recording();
        List<Compaction> runs = new ArrayList<>();
        // the store's compaction clock stands still: only the explicit runs below compact
        AccountingStore store = AccountingStore.open(StoreConfig.jdbc(recordedUrl(), "", ""), new AtomicLong()::get);

        Rounds rounds = pollsThenCrashImages(store, images, "compaction",
                round -> runs.add(store.compact(Duration.ofMinutes(5)).orElseThrow()));

        assertThat(runs).as("every round moved chunks and cut the file, so the images cover that")
                .allSatisfy(run -> assertThat(run.bytesAfter()).isLessThan(run.bytesBefore()));
        rounds.assertNoneLost("compactions");
    }

    /**
     * The same for the rewrite into a new file while running ({@link FileRewrite}, {@code SHUTDOWN
     * COMPACT}): H2 closes the database, copies the live data into {@code pfmeter.mv.db.tempFile}
     * and renames it over the file. An image is taken at every write, truncate, rename and delete
     * of any of those files (all of them copied), before the rename and after the rewrite.
     */
    @Test
    void aCrashAtAnyStepOfARewriteIntoANewFileKeepsEveryCommittedPoll() throws Exception {
        CrashImages images = recording();
        Path file = dir.resolve(StoreConfig.H2_FILE_NAME + ".mv.db");
        AtomicLong nanos = new AtomicLong();
        // a rewrite whenever the file holds any dead chunk, at most once an hour of the driven clock
        FileRewrite anyDeadChunk = new FileRewrite(1.01, Duration.ofHours(1), 0, Long.MAX_VALUE);
        AccountingStore store = AccountingStore.open(StoreConfig.jdbc(recordedUrl(), "", ""), nanos::get, anyDeadChunk);

        Rounds rounds = pollsThenCrashImages(store, images, "rewrite", round -> {
            long before = Files.size(file);
            // the hour is up: a write that commits nothing is followed by the compaction and the rewrite
            nanos.addAndGet(Duration.ofHours(1).toNanos());
            store.inTransaction("commit nothing", c -> null);
            assertThat(store.upkeep().rewrites()).as("round %d rewrote the file", round).isEqualTo(round);
            assertThat(Files.size(file)).isLessThan(before);
        });

        assertThat(images.renames).as("each rewrite renamed the new file over the old one").isEqualTo(ROUNDS);
        assertThat(images.written).as("files written during the rewrites")
                .containsExactly(StoreConfig.H2_FILE_NAME + ".mv.db", StoreConfig.H2_FILE_NAME + ".mv.db.tempFile");
        rounds.assertNoneLost("rewrites");
    }

    /** The database file's URL through H2's recording file system, every dead chunk free at once. */
    private String recordedUrl() {
        return StoreConfig.h2(dir).url().replace("jdbc:h2:file:", "jdbc:h2:rec:") + ";RETENTION_TIME=0";
    }

    /** The recorder that takes the crash images, installed (disarmed until a round arms it). */
    private CrashImages recording() throws IOException {
        FilePathRec.register();
        CrashImages images = new CrashImages(dir.resolve(StoreConfig.H2_FILE_NAME + ".mv.db"),
                Files.createDirectories(dir.resolve("crash")));
        FilePathRec.setRecorder(images);
        return images;
    }

    /** What a round does to the file after its polls, with the crash images armed. */
    private interface Upkeep {
        void run(int round) throws Exception;
    }

    /** How many crash images the rounds took and which of them lost a commit. */
    private record Rounds(int imagesTaken, List<String> lost) {
        void assertNoneLost(String what) {
            assertThat(imagesTaken).as("crash images taken during the %s", what).isGreaterThan(ROUNDS * 10);
            assertThat(lost).as("of %d crash images taken during %d %s, these lost a commit", imagesTaken, ROUNDS, what).isEmpty();
        }
    }

    /**
     * {@link #ROUNDS} rounds of {@link #POLLS_PER_ROUND} polls written by the real ledger, each
     * followed by {@code upkeep} with the images armed; every image is opened and compared with what
     * was committed before the upkeep, which must change no row. Abandons the store at the end.
     */
    private static Rounds pollsThenCrashImages(AccountingStore store, CrashImages images, String what, Upkeep upkeep)
            throws Exception {
        List<String> lost = new ArrayList<>();
        int imagesTaken = 0;
        try {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
            int p = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                for (int i = 0; i < POLLS_PER_ROUND; i++) {
                    p++;
                    RecordResult r = ledger.record("fw1", snapshot(T0.plusSeconds(300L * p), "s", 1, CrashAfterEveryCommitTest.labels(p)));
                    assertThat(r.outcome()).isEqualTo(RecordResult.Outcome.WRITTEN);
                }
                String committed = store.query("read what is committed", CrashDuringCompactionTest::ledger);

                images.arm(round);
                upkeep.run(round);
                images.take("after the " + what);
                images.disarm();

                assertThat(store.query("read after the " + what, CrashDuringCompactionTest::ledger))
                        .as("the %s changes no row", what).isEqualTo(committed);
                for (CrashImage image : images.drain()) {
                    imagesTaken++;
                    String afterCrash = ledgerOfCrashImage(image.path());
                    if (!afterCrash.equals(committed)) {
                        lost.add("round " + round + ", " + image.when() + ": committed " + committed + "; after a crash " + afterCrash);
                    }
                    deleteImage(image.path());
                }
            }
        } finally {
            FilePathRec.setRecorder(null);
            store.abandon();
        }
        return new Rounds(imagesTaken, lost);
    }

    private record CrashImage(Path path, String when) {
    }

    /** Copies the database file at each write and before each truncate while armed: what kill -9 at that instant leaves. */
    private static final class CrashImages implements Recorder {
        private final Path file;
        private final Path crashDir;
        private final List<CrashImage> taken = new ArrayList<>();
        private int round;
        private int writes;
        private int renames;
        private final java.util.Set<String> written = new java.util.TreeSet<>();
        private boolean armed;

        CrashImages(Path file, Path crashDir) {
            this.file = file;
            this.crashDir = crashDir;
        }

        void arm(int round) {
            this.round = round;
            this.writes = 0;
            this.armed = true;
        }

        void disarm() {
            armed = false;
        }

        List<CrashImage> drain() {
            List<CrashImage> all = List.copyOf(taken);
            taken.clear();
            return all;
        }

        @Override
        public void log(int op, String fileName, byte[] data, long x) {
            // the database file and the files a rewrite makes beside it (.tempFile, .newFile)
            if (!armed || !fileName.contains(StoreConfig.H2_FILE_NAME + ".mv.db")) {
                return;
            }
            String name = fileName.substring(fileName.lastIndexOf('/') + 1);
            if (op == WRITE) {
                writes++;
                written.add(name);
                take("after write " + writes + " to " + name + " (" + data.length + " bytes, up to " + x + ")");
            } else if (op == TRUNCATE) {
                take("before truncating " + name + " to " + x + " after write " + writes);
            } else if (op == RENAME) {
                renames++;
                take("before renaming " + name + " after write " + writes);
            } else if (op == DELETE) {
                take("before deleting " + name + " after write " + writes);
            }
        }

        void take(String when) {
            Path image = crashDir.resolve("r" + round + "-" + taken.size());
            try (var files = Files.list(file.getParent())) {
                Files.createDirectories(image);
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith(file.getFileName().toString())).toList()) {
                    Files.copy(f, image.resolve(f.getFileName()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            taken.add(new CrashImage(image, when));
        }
    }

    private static void deleteImage(Path imageDir) throws IOException {
        try (var files = Files.list(imageDir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(imageDir);
    }

    private static String ledgerOfCrashImage(Path imageDir) {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + imageDir.resolve(StoreConfig.H2_FILE_NAME)
                + ";DB_CLOSE_ON_EXIT=FALSE;IFEXISTS=TRUE")) {
            String f = ledger(c);
            try (Statement s = c.createStatement()) {
                s.execute("SHUTDOWN IMMEDIATELY");
            } catch (SQLException closedUnderUs) {
                // H2 closes the session as it shuts down
            }
            return f;
        } catch (SQLException | RuntimeException e) {
            return "does not open: " + e;
        }
    }

    /** Every table of the schema with its row count and a digest of all its rows (in a fixed order). */
    private static String ledger(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = 'PUBLIC' AND table_type = 'BASE TABLE' ORDER BY table_name")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        StringBuilder b = new StringBuilder();
        for (String table : tables) {
            List<String> rows = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= columns; i++) {
                        row.append(rs.getString(i)).append('|');
                    }
                    rows.add(row.toString());
                }
            }
            rows.sort(null);
            b.append(table).append(' ').append(rows.size()).append(' ').append(digest(rows)).append(", ");
        }
        return b.toString();
    }

    private static String digest(List<String> rows) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            rows.forEach(r -> sha.update(r.getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
