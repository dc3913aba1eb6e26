package org.pfmeter.accounting.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.h2.mvstore.db.Store;

/**
 * Compacts the embedded H2 file while the database is open, in steps, until a time budget is spent.
 *
 * <p>Why pfmeter does this itself: H2 compacts in its background writer thread, and that thread
 * only runs when commits are delayed ({@code WRITE_DELAY} &gt; 0, see {@code FileStore.setAutoCommitDelay}
 * in H2 2.5.252). pfmeter sets {@code WRITE_DELAY=0} so that every committed poll is in the file
 * before {@code commit()} returns; so, left alone, H2 never compacts while the daemon runs and the
 * file fills with chunks that are mostly dead (see accounting/README.md, "H2's file and disk
 * writes"). These are the two public steps of H2's own background housekeeping
 * ({@code RandomAccessStore.doHousekeeping}): rewrite the live pages of sparse chunks, then move
 * chunks from the end of the file into free space and truncate. Unlike
 * {@code MVStore.compactFile}, it keeps H2's chunk retention time (45 s): a freed chunk is not
 * overwritten before the file system has surely written its replacement. Space freed by one run is
 * cut off or filled by the next.
 *
 * <p>Between runs H2 writes every chunk at the end of the file ({@link #appendOnly}), because a
 * commit written into a hole is lost by a crash: H2 2.5.252 writes a chunk into free space at the
 * first fit, and when that is not where the previous chunk predicted ({@code next}) it rewrites the
 * store header, but with the previous chunk (RandomAccessStore.writeChunk runs before
 * FileStore.storeBuffer sets {@code lastChunk}). After a crash its recovery looks for the newest
 * chunk through the header, the {@code next} chain from there and the chunk at the end of the file,
 * finds none of them leading to the new chunk, and opens the version before: the last commit is
 * gone although it is in the file. A chunk at the end of the file is always found. Seen as
 * MonthSimulationTest losing a committed poll under load (a store open longer than the 45 s
 * retention, so that freed chunks were reused); reproduced by CrashAfterEveryCommitTest, with or
 * without this compaction (accounting/README.md, "Crash safety of the H2 file").
 */
final class H2Compaction {

    /** Chunks less full than this are rewritten, and the file is shrunk while it is less full than this. */
    static final int TARGET_FILL_RATE = 90;
    /** Bytes rewritten or moved per step; the budget is checked between steps. */
    static final int STEP_BYTES = 4 << 20;

    private H2Compaction() {
    }

    /** The MVStore behind an embedded H2 connection; empty for a server or an in-memory database. */
    static Optional<MVStore> mvStore(Connection c) throws SQLException {
        Session session = c.unwrap(JdbcConnection.class).getSession();
        if (!(session instanceof SessionLocal local)) {
            return Optional.empty();
        }
        Store store = local.getDatabase().getStore();
        if (store == null || store.getMvStore().getFileStore() == null) {
            return Optional.empty();
        }
        return Optional.of(store.getMvStore());
    }

    /**
     * Makes H2 write every chunk at the end of the file, for crash safety: a chunk written into a
     * hole of the file is not found by H2 2.5.252's crash recovery (see the class comment), so
     * holes are only filled by {@link #run}. Idempotent; nothing for a server or in-memory database.
     */
    static void appendOnly(Connection c) throws SQLException {
        mvStore(c).ifPresent(mv -> mv.getFileStore().setReuseSpace(false));
    }

    /** Whether {@code c} is the only user session on its embedded database (nobody else's connection would be cut by a shutdown). */
    static boolean alone(Connection c) throws SQLException {
        Session session = c.unwrap(JdbcConnection.class).getSession();
        return session instanceof SessionLocal local && local.getDatabase().getSessions(false).length == 1;
    }

    /**
     * Whether closing should copy the live data into a new file ({@code SHUTDOWN COMPACT}, H2's
     * full compaction, which also compresses the pages): when the live data is at most
     * {@code maxLiveBytes}, so that the copy's time is bounded.
     */
    static boolean fullCompactionFits(MVStore mv, long maxLiveBytes) {
        return liveBytes(mv) <= maxLiveBytes;
    }

    /** H2's estimate of the bytes of live pages in the file (chunks retained after they died count as dead). */
    static long liveBytes(MVStore mv) {
        FileStore<?> file = mv.getFileStore();
        return file.size() * file.getFillRate() / 100 * file.getChunksFillRate() / 100;
    }

    /**
     * Copies the live data into a new, compressed file and closes the database ({@code SHUTDOWN
     * COMPACT}: H2 writes {@code pfmeter.mv.db.tempFile} and renames it over the file, so a crash
     * before the rename leaves the old file, one after it the new). Every session on the database,
     * {@code c} included, is closed; the next connection opens the new file.
     */
    static void rewrite(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute("SHUTDOWN COMPACT");
        }
    }

    /**
     * Rewrites and moves chunks in steps of {@link #STEP_BYTES} until nothing is left to do or
     * {@code budget} is spent (a step that has started is finished, so a run can overshoot the
     * budget by one step). Holds H2's store lock for one step at a time: a commit waits at most
     * one step.
     */
    static Compaction run(MVStore mv, Duration budget) {
        FileStore<?> file = mv.getFileStore();
        long before = file.size();
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        int steps = 0;
        boolean more = true;
        // moving chunks into holes needs H2's space reuse, off between runs (appendOnly)
        file.setReuseSpace(true);
        try {
            while (more && System.nanoTime() - deadline < 0) {
                more = mv.compact(TARGET_FILL_RATE, STEP_BYTES);
                if (file instanceof RandomAccessStore ras) {
                    long size = file.size();
                    ras.compactMoveChunks(TARGET_FILL_RATE, STEP_BYTES, mv);
                    more |= file.size() < size;
                }
                steps++;
            }
        } finally {
            file.setReuseSpace(false);
        }
        return new Compaction(before, file.size(), file.getFillRate(), steps,
                Duration.ofNanos(System.nanoTime() - start));
    }
}
