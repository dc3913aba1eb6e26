package org.pfmeter.accounting.store;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.h2.mvstore.MVStore;
import org.pfmeter.pf.model.LabelKey;

/**
 * The accounting database: opened once per process, schema created and upgraded by Flyway from the
 * migrations packaged at {@code classpath:db/migration} (the repository's top-level {@code sql/}).
 *
 * <p>Writes go through one connection, one transaction at a time ({@link #inTransaction}); a
 * connection that failed is dropped and the next transaction opens a new one, so a database that
 * went away and came back needs no restart. Reads ({@link #query}) use a connection of their own, so
 * a report never blocks the ledger. Every failure is a {@link StoreException} that names the
 * database and says what to do.
 *
 * <pre>{@code
 * try (AccountingStore store = AccountingStore.open(StoreConfig.h2(Path.of("/var/db/pfmeter")))) {
 *     Ledger ledger = new Ledger(store, LedgerOptions.defaults());
 *     ...
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class AccountingStore implements AutoCloseable {

    /** Where Flyway finds the migrations inside the accounting jar. */
    public static final String MIGRATIONS = "classpath:db/migration";

    /**
     * Embedded H2: a write transaction is followed by a {@link #compact compaction} of the file when
     * the last one is at least this long ago. Longer than H2's chunk retention (45 s), so the space
     * one run frees is there for the next.
     */
    public static final Duration COMPACT_EVERY = Duration.ofMinutes(1);
    /** Embedded H2: how long that compaction may take; the next write waits for it, polls never do. */
    public static final Duration COMPACT_BUDGET = Duration.ofMillis(200);
    /**
     * Embedded H2: closing copies the live data into a new, compressed file ({@code SHUTDOWN COMPACT})
     * when the live data is at most this large (a copy of 37 MB took 7 s on a 2-core test machine,
     * 2026-12-03); a larger file is compacted in place for {@link #CLOSE_COMPACT_BUDGET}.
     */
    public static final long FULL_COMPACT_MAX_LIVE_BYTES = 64L << 20;
    /** Embedded H2: how long closing may spend compacting a file too large to copy. */
    public static final Duration CLOSE_COMPACT_BUDGET = Duration.ofSeconds(2);

    private final StoreConfig config;
    private final Database database;
    private final String schemaVersion;
    private final Object writeLock = new Object();
    private Connection writer;
    private boolean closed;
    /** A write transaction committed: only then does closing compact the H2 file. */
    private boolean wrote;
    private long nextCompactNanos = System.nanoTime() + COMPACT_EVERY.toNanos();
    private volatile Compaction lastCompaction;

    private AccountingStore(StoreConfig config, Database database, String schemaVersion, Connection writer) {
        this.config = config;
        this.database = database;
        this.schemaVersion = schemaVersion;
        this.writer = writer;
    }

    /**
     * Opens (creating when needed) the database and migrates it to the newest schema.
     *
     * @throws StoreException LOCKED when another process has the H2 file open, UNREACHABLE or
     *                        AUTHENTICATION for a server that cannot be used, READ_ONLY for a data
     *                        directory that cannot be written, SCHEMA when migrating fails
     */
    public static AccountingStore open(StoreConfig config) {
        Objects.requireNonNull(config, "config");
        String target = config.target();
        config.h2DataDir().ifPresent(dir -> prepareDataDir(dir, target));
        Connection first;
        try {
            first = connect(config);
        } catch (SQLException e) {
            throw StoreErrors.classify(target, "cannot open the accounting database", e);
        }
        try {
            Database db = Database.of(first.getMetaData().getDatabaseProductName(), target);
            String version = migrate(config, target);
            first.setAutoCommit(false);
            return new AccountingStore(config, db, version, first);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(first);
            throw StoreErrors.classify(target, "cannot prepare the accounting database", e);
        }
    }

    private static void prepareDataDir(Path dir, String target) {
        try {
            Files.createDirectories(dir);
        } catch (AccessDeniedException e) {
            throw new StoreException(StoreException.Kind.READ_ONLY, target,
                    "cannot create the data directory " + dir + " (accounting.data-dir)", e);
        } catch (IOException e) {
            throw StoreErrors.classify(target, "cannot create the data directory " + dir + " (accounting.data-dir)", e);
        }
        if (!Files.isDirectory(dir)) {
            throw new StoreException(StoreException.Kind.OTHER, target,
                    "the data directory " + dir + " (accounting.data-dir) is not a directory", null);
        }
        if (!Files.isWritable(dir)) {
            throw new StoreException(StoreException.Kind.READ_ONLY, target,
                    "the data directory " + dir + " (accounting.data-dir) is not writable", null);
        }
    }

    private static Connection connect(StoreConfig config) throws SQLException {
        Properties p = new Properties();
        if (!config.user().isEmpty()) {
            p.setProperty("user", config.user());
        }
        if (!config.password().isEmpty()) {
            p.setProperty("password", config.password());
        }
        if (config.url().startsWith("jdbc:postgresql:")) {
            // fail in seconds, not after the OS's TCP timeout, when the server is down
            p.putIfAbsent("connectTimeout", "10");
            // and when a connected server stops answering (host switched off, packets dropped): without
            // a read timeout a write would wait for TCP to give up, about 15 minutes, holding up polling
            p.putIfAbsent("socketTimeout", "30");
            p.putIfAbsent("ApplicationName", "pfmeter");
        }
        return DriverManager.getConnection(config.url(), p);
    }

    private static String migrate(StoreConfig config, String target) {
        Flyway flyway = Flyway.configure(AccountingStore.class.getClassLoader())
                .dataSource(config.url(), config.user(), config.password())
                .locations(MIGRATIONS)
                .failOnMissingLocations(true)
                .load();
        MigrateResult r = flyway.migrate();
        String v = r.targetSchemaVersion != null ? r.targetSchemaVersion
                : Optional.ofNullable(flyway.info().current()).map(i -> i.getVersion())
                        .map(MigrationVersion::getVersion).orElse("0");
        if (v == null || v.equals("0")) {
            throw new StoreException(StoreException.Kind.SCHEMA, target,
                    "no migrations found at " + MIGRATIONS + " (a jar built without the sql/ folder?)", null);
        }
        return v;
    }

    public StoreConfig config() {
        return config;
    }

    public Database database() {
        return database;
    }

    /** The Flyway schema version after opening, e.g. "1". */
    public String schemaVersion() {
        return schemaVersion;
    }

    /** "H2 /var/db/pfmeter/pfmeter.mv.db" or "POSTGRESQL jdbc:postgresql://…". */
    public String describe() {
        return database + " " + config.target() + " (schema v" + schemaVersion + ")";
    }

    /**
     * Runs {@code work} in one transaction on the write connection and commits it; rolls back and
     * drops the connection on any failure (the next call reconnects). When the connection kept from
     * an earlier call has died, the work is tried once more on a new connection, so {@code work}
     * must be idempotent.
     *
     * @param what what the work does, for the error message ("record poll of fw1")
     * @throws StoreException what went wrong, classified
     * @throws IllegalArgumentException or {@link IllegalStateException} as thrown by {@code work}
     *                        (after the rollback): the work refused its input
     */
    public <T> T inTransaction(String what, SqlWork<T> work) {
        synchronized (writeLock) {
            if (closed) {
                throw new IllegalStateException("the accounting store " + config.target() + " is closed");
            }
            boolean fresh = writer == null;
            T result;
            try {
                result = attempt(what, work);
            } catch (StoreException e) {
                if (fresh || writer != null) {
                    throw e;
                }
                // The connection kept from an earlier transaction had died (server restarted, H2
                // session closed): one more try on a new connection. Safe because work that can be
                // retried is idempotent: the ledger skips a poll the database already holds.
                result = attempt(what, work);
            }
            wrote = true;
            compactIfDue();
            return result;
        }
    }

    /** After a committed write, on the writer's thread: H2's own background compaction is off (see {@link H2Compaction}). */
    private void compactIfDue() {
        long now = System.nanoTime();
        if (database != Database.H2 || writer == null || now - nextCompactNanos < 0) {
            return;
        }
        nextCompactNanos = now + COMPACT_EVERY.toNanos();
        try {
            H2Compaction.mvStore(writer).ifPresent(mv -> lastCompaction = H2Compaction.run(mv, COMPACT_BUDGET));
        } catch (SQLException | RuntimeException e) {
            // the write is committed; a failing database shows in the next write, and the file is
            // compacted at close or by the next run
        }
    }

    /** The last compaction that followed a write ({@link #COMPACT_EVERY}), if any yet. */
    public Optional<Compaction> lastCompaction() {
        return Optional.ofNullable(lastCompaction);
    }

    private <T> T attempt(String what, SqlWork<T> work) {
        Connection c;
        try {
            if (writer == null) {
                writer = connect(config);
                writer.setAutoCommit(false);
            }
            c = writer;
        } catch (SQLException e) {
            throw StoreErrors.classify(config.target(), "cannot connect to the accounting database to " + what, e);
        }
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (IllegalArgumentException | IllegalStateException e) {
            // the work refused its input: not the database's fault, the connection stays
            try {
                c.rollback();
            } catch (SQLException rollbackFailed) {
                closeQuietly(c);
                writer = null;
            }
            throw e;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is gone anyway; it is dropped below
            }
            closeQuietly(c);
            writer = null;
            throw StoreErrors.classify(config.target(), "cannot " + what, e);
        }
    }

    /**
     * Runs read-only {@code work} on a connection of its own (closed afterwards), so a long report
     * never holds up the ledger. Autocommit is off so that PostgreSQL streams large results.
     */
    public <T> T query(String what, SqlWork<T> work) {
        if (closed) {
            throw new IllegalStateException("the accounting store " + config.target() + " is closed");
        }
        try (Connection c = connect(config)) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                return work.run(c);
            } finally {
                c.rollback();
            }
        } catch (SQLException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw StoreErrors.classify(config.target(), "cannot " + what, e);
        }
    }

    /** Every host that has written to this database, sorted. */
    public List<String> hosts() {
        return query("list hosts", c -> {
            List<String> hosts = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT host FROM pf_host ORDER BY host")) {
                while (rs.next()) {
                    hosts.add(rs.getString(1));
                }
            }
            return hosts;
        });
    }

    /** Every (anchor, label) the ledger has counters for, on {@code host} or (empty) on any host, sorted. */
    public List<LabelKey> labels(Optional<String> host) {
        return query("list labels", c -> {
            String sql = "SELECT DISTINCT anchor, label FROM label_counters"
                    + (host.isPresent() ? " WHERE host = ?" : "") + " ORDER BY anchor, label";
            List<LabelKey> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (host.isPresent()) {
                    ps.setString(1, host.get());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(new LabelKey(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return keys;
        });
    }

    /**
     * Compacts the embedded H2 file for at most about {@code budget} (one step of
     * {@value H2Compaction#STEP_BYTES} bytes more at worst), between two transactions: no ledger
     * write runs meanwhile, so call it from the thread that writes, not from a poll. H2 does not do
     * this by itself while pfmeter runs (see {@link H2Compaction}); {@link #close()} compacts too.
     *
     * @return what it did; empty for PostgreSQL (its autovacuum does this job)
     * @throws StoreException when the database fails
     */
    public Optional<Compaction> compact(Duration budget) {
        Objects.requireNonNull(budget, "budget");
        if (database != Database.H2) {
            return Optional.empty();
        }
        return inTransaction("compact the database file", c -> H2Compaction.mvStore(c).map(mv -> H2Compaction.run(mv, budget)));
    }

    /**
     * Stops using the database the way {@code kill -9} would: H2's files are closed without any
     * cleanup ({@code SHUTDOWN IMMEDIATELY}), a server connection is dropped without commit. For
     * crash simulations and tests; the store is closed afterwards.
     */
    public void abandon() {
        synchronized (writeLock) {
            if (writer != null && database == Database.H2) {
                try (Statement s = writer.createStatement()) {
                    s.execute("SHUTDOWN IMMEDIATELY");
                } catch (SQLException expected) {
                    // H2 closes the session under our feet
                }
            }
            closeQuietly(writer);
            writer = null;
            closed = true;
        }
    }

    /**
     * Closes the database. A store that wrote to embedded H2 compacts the file first: fully when its
     * live data is small enough to copy quickly ({@link #FULL_COMPACT_MAX_LIVE_BYTES}) and no other
     * connection is open on it, else in place for at most {@link #CLOSE_COMPACT_BUDGET}.
     */
    @Override
    public void close() {
        synchronized (writeLock) {
            if (!closed && wrote && writer != null && database == Database.H2) {
                compactAtClose(writer);
            }
            closeQuietly(writer);
            writer = null;
            closed = true;
        }
    }

    private static void compactAtClose(Connection c) {
        try {
            Optional<MVStore> found = H2Compaction.mvStore(c);
            if (found.isEmpty()) {
                return;
            }
            MVStore mv = found.get();
            // with other connections open (a report in the same process) the database stays open
            // after this one closes: no shutdown then, and H2's crash margin stays
            boolean alone = H2Compaction.alone(c);
            if (alone && H2Compaction.fullCompactionFits(mv, FULL_COMPACT_MAX_LIVE_BYTES)) {
                try (Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN COMPACT");
                }
            } else {
                if (alone) {
                    // what H2 does before its own compaction at close: the file is synced and
                    // closed right after, so no dead chunk needs keeping for a crash
                    mv.setRetentionTime(0);
                }
                H2Compaction.run(mv, CLOSE_COMPACT_BUDGET);
            }
        } catch (SQLException | RuntimeException e) {
            // H2 closes the session as it shuts down; a failed compaction leaves the file as it was
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a broken connection
            }
        }
    }
}
