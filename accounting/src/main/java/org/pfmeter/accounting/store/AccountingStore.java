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
import java.util.function.LongSupplier;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
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
    /** What connections are opened with: config.url(), or for a read-only store the daemon's server or the file read-only. */
    private final String url;
    private final boolean readOnly;
    private final Database database;
    private final String schemaVersion;
    private final Object writeLock = new Object();
    /** The write connection; in a read-only store the connection that keeps the database open. */
    private Connection writer;
    private boolean closed;
    /** A write transaction committed: only then does closing compact the H2 file. */
    private boolean wrote;
    /** The time source of {@link #compactIfDue} ({@code System::nanoTime}; tests drive it). */
    private final LongSupplier nanos;
    private long nextCompactNanos;
    /** When the file is rewritten into a new one while running (embedded H2). */
    private final FileRewrite rewrite;
    private long nextRewriteNanos;
    private volatile FileUpkeep upkeep = FileUpkeep.NONE;
    /** Damaged rows met by {@link #inTransaction} work (the ledger's writer) and by {@link #query} work (reports, bills). */
    private final java.util.concurrent.atomic.LongAdder damagedInWrites = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder damagedInReads = new java.util.concurrent.atomic.LongAdder();

    private AccountingStore(StoreConfig config, String url, boolean readOnly, Database database, String schemaVersion,
            Connection writer, LongSupplier nanos, FileRewrite rewrite) {
        this.config = config;
        this.nanos = nanos;
        this.nextCompactNanos = nanos.getAsLong() + COMPACT_EVERY.toNanos();
        this.rewrite = rewrite;
        this.nextRewriteNanos = nanos.getAsLong() + rewrite.every().toNanos();
        this.url = url;
        this.readOnly = readOnly;
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
        return open(config, System::nanoTime);
    }

    /**
     * As {@link #open(StoreConfig)}, with {@code nanos} (as {@link System#nanoTime}) as the clock that
     * schedules the upkeep of the H2 file while running: the compaction after writes at most every
     * {@link #COMPACT_EVERY}, the rewrite into a new file at most once a day. Tests and benchmarks
     * that simulate weeks drive it.
     */
    public static AccountingStore open(StoreConfig config, LongSupplier nanos) {
        return open(config, nanos, FileRewrite.DAEMON);
    }

    /** As {@link #open(StoreConfig, LongSupplier)}, with the rule for rewriting the file while running. */
    static AccountingStore open(StoreConfig config, LongSupplier nanos, FileRewrite rewrite) {
        Objects.requireNonNull(config, "config");
        String target = config.target();
        config.h2DataDir().ifPresent(dir -> prepareDataDir(dir, target));
        Connection first;
        try {
            first = connect(config, config.url());
        } catch (SQLException e) {
            throw StoreErrors.classify(target, "cannot open the accounting database", e);
        }
        try {
            Database db = Database.of(first.getMetaData().getDatabaseProductName(), target);
            if (db == Database.H2) {
                H2Compaction.appendOnly(first);
            }
            Migrated m = migrate(config, target);
            first.setAutoCommit(false);
            AccountingStore store = new AccountingStore(config, config.url(), false, db, m.version(), first, nanos, rewrite);
            // a migration rewrites tables (V5 copies every 5-minute row): closing compacts the file
            // even if the store writes nothing else
            store.wrote = m.applied() > 0;
            return store;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(first);
            throw StoreErrors.classify(target, "cannot prepare the accounting database", e);
        }
    }

    private static void prepareDataDir(Path dir, String target) {
        try {
            if (!Files.isDirectory(dir)) {
                // it holds the billing data: mode 0700 whatever the umask (issue 19); parents as the umask says
                Path parent = dir.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.createDirectory(dir);
                try {
                    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system
                }
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // a file where the directory should be, or a directory created meanwhile: checked below
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

    /**
     * Opens an existing database for reading only ({@code pfmeter billing}, {@code usage}): never
     * creates a file, a directory or a table and never migrates. An embedded H2 file that the running
     * daemon holds is read through the daemon's loopback server ({@link ReadServer}, announced in
     * {@code data-dir/pfmeter.server}); when no daemon runs, the file is opened read-only, which
     * writes nothing into the data directory (no lock file, no trace file), so root reading the
     * daemon's directory leaves no root-owned file behind. {@link #inTransaction} is refused.
     *
     * @throws DatabaseNotReadyException no database at that path, no pfmeter tables in it, or a
     *                                   schema older than this pfmeter's (the daemon migrates it)
     * @throws StoreException            as {@link #open}; LOCKED when another process holds the H2
     *                                   file and announces no server, SCHEMA for a database written
     *                                   by a newer pfmeter
     */
    public static AccountingStore openForReading(StoreConfig config) {
        Objects.requireNonNull(config, "config");
        String target = config.target();
        Reading r = config.h2DataDir().isPresent() ? readH2(config, config.h2DataDir().get()) : readServer(config);
        try {
            Database db = Database.of(r.connection().getMetaData().getDatabaseProductName(), target);
            String version = checkSchema(config, r.url(), target);
            r.connection().setAutoCommit(false);
            r.connection().setReadOnly(true);
            return new AccountingStore(config, r.url(), true, db, version, r.connection(), System::nanoTime, FileRewrite.DAEMON);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(r.connection());
            if (e instanceof DatabaseNotReadyException d) {
                throw d;
            }
            throw StoreErrors.classify(target, "cannot prepare the accounting database", e);
        }
    }

    /** A connection of a read-only store and the URL its later connections use. */
    private record Reading(Connection connection, String url) {
    }

    private static Reading readServer(StoreConfig config) {
        try {
            return new Reading(connect(config, config.url()), config.url());
        } catch (SQLException e) {
            throw StoreErrors.classify(config.target(), "cannot open the accounting database", e);
        }
    }

    /** Through the running daemon's {@link ReadServer} when one answers, else the file read-only. */
    private static Reading readH2(StoreConfig config, Path dir) {
        String target = config.target();
        Path file = dir.resolve(StoreConfig.H2_FILE_NAME + ".mv.db");
        if (Files.isDirectory(dir) && !Files.isExecutable(dir)) {
            throw new DatabaseNotReadyException(target, "this user may not look into " + dir
                    + " (the daemon's data directory): run this command as root or as the daemon's user"
                    + " (doas -u _pfmeter pfmeter ...)");
        }
        if (!Files.isRegularFile(file)) {
            throw new DatabaseNotReadyException(target, "no pfmeter database at " + file
                    + ": check the data directory (data-dir in --config, --data-dir or --db),"
                    + " or start the daemon first (pfmeter run creates it)");
        }
        Optional<String> served = ReadServer.announced(config, dir);
        SQLException viaServer = null;
        if (served.isPresent()) {
            try {
                return new Reading(connect(config, served.get()), served.get());
            } catch (SQLException e) {
                // nobody, or somebody else, listens there: the file may be left over from a daemon
                // that was killed; if so, the file itself can be opened
                viaServer = e;
            }
        }
        try {
            return new Reading(connect(config, config.readOnlyUrl()), config.readOnlyUrl());
        } catch (SQLException e) {
            if (viaServer != null) {
                throw StoreErrors.classify(target, "cannot read the accounting database through the running daemon ("
                        + dir.resolve(ReadServer.FILE_NAME) + ")", viaServer);
            }
            StoreException.Kind kind = StoreErrors.kindOf(e);
            throw new StoreException(kind, target, kind == StoreException.Kind.LOCKED
                    ? "another process holds the database and announces no reader (" + dir.resolve(ReadServer.FILE_NAME)
                            + "): a pfmeter daemon older than this command, or another program"
                    : "cannot open the accounting database read-only", e);
        }
    }

    /** The schema version of a database that is read without migrating: this pfmeter's newest, or an error. */
    private static String checkSchema(StoreConfig config, String url, String target) {
        MigrationInfoService info = flyway(config, url).info();
        MigrationInfo current = info.current();
        if (current == null || current.getVersion() == null) {
            throw new DatabaseNotReadyException(target, "the database " + target + " holds no pfmeter tables"
                    + " (no Flyway schema history): start the daemon first (pfmeter run creates them),"
                    + " or check the data directory or JDBC URL");
        }
        String have = current.getVersion().getVersion();
        for (MigrationInfo m : info.all()) {
            if (m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED) {
                throw new StoreException(StoreException.Kind.SCHEMA, target, "the database has schema v" + have
                        + ", written by a newer pfmeter than this one; use that pfmeter's billing and usage", null);
            }
        }
        MigrationInfo[] pending = info.pending();
        if (pending.length > 0) {
            throw new DatabaseNotReadyException(target, "the database " + target + " has schema v" + have
                    + " and this pfmeter reads v" + pending[pending.length - 1].getVersion().getVersion()
                    + ": start the daemon of this version (pfmeter run), which migrates it;"
                    + " billing and usage never migrate a database");
        }
        return have;
    }

    private static Flyway flyway(StoreConfig config, String url) {
        return Flyway.configure(AccountingStore.class.getClassLoader())
                .dataSource(url, config.user(), config.password())
                .locations(MIGRATIONS)
                .failOnMissingLocations(true)
                .load();
    }

    /** Opens one connection to {@code url} with the credentials and driver settings of {@code config}. */
    static Connection connect(StoreConfig config, String url) throws SQLException {
        Properties p = new Properties();
        if (!config.user().isEmpty()) {
            p.setProperty("user", config.user());
        }
        if (!config.password().isEmpty()) {
            p.setProperty("password", config.password());
        }
        if (url.startsWith("jdbc:postgresql:")) {
            // fail in seconds, not after the OS's TCP timeout, when the server is down
            p.putIfAbsent("connectTimeout", "10");
            // and when a connected server stops answering (host switched off, packets dropped): without
            // a read timeout a write would wait for TCP to give up, about 15 minutes, holding up polling
            p.putIfAbsent("socketTimeout", "30");
            p.putIfAbsent("ApplicationName", "pfmeter");
        }
        return DriverManager.getConnection(url, p);
    }

    /** The schema version after migrating, and how many migrations were applied. */
    private record Migrated(String version, int applied) {
    }

    private static Migrated migrate(StoreConfig config, String target) {
        Flyway flyway = flyway(config, config.url());
        MigrateResult r = flyway.migrate();
        String v = r.targetSchemaVersion != null ? r.targetSchemaVersion
                : Optional.ofNullable(flyway.info().current()).map(i -> i.getVersion())
                        .map(MigrationVersion::getVersion).orElse("0");
        if (v == null || v.equals("0")) {
            throw new StoreException(StoreException.Kind.SCHEMA, target,
                    "no migrations found at " + MIGRATIONS + " (a jar built without the sql/ folder?)", null);
        }
        return new Migrated(v, r.migrationsExecuted);
    }

    public StoreConfig config() {
        return config;
    }

    public Database database() {
        return database;
    }

    /** True for a store opened by {@link #openForReading}: it never writes. */
    public boolean readOnly() {
        return readOnly;
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
            if (readOnly) {
                throw new IllegalStateException("the accounting store " + config.target() + " is open for reading only");
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

    /**
     * After a committed write, on the writer's thread: H2's own background compaction is off (see
     * {@link H2Compaction}). Compacts in place for at most {@link #COMPACT_BUDGET}, then rewrites
     * the file into a new one when {@link FileRewrite#DAEMON} says so.
     */
    private void compactIfDue() {
        long now = nanos.getAsLong();
        if (database != Database.H2 || writer == null || now - nextCompactNanos < 0) {
            return;
        }
        nextCompactNanos = now + COMPACT_EVERY.toNanos();
        try {
            Optional<MVStore> found = H2Compaction.mvStore(writer);
            if (found.isEmpty()) {
                return;
            }
            MVStore mv = found.get();
            upkeep = upkeep.afterCompaction(H2Compaction.run(mv, COMPACT_BUDGET), COMPACT_BUDGET);
            if (now - nextRewriteNanos >= 0 && rewrite.due(mv.getFileStore().size(), H2Compaction.liveBytes(mv))) {
                if (rewriteFile()) {
                    nextRewriteNanos = now + rewrite.every().toNanos();
                }
            }
        } catch (SQLException | RuntimeException e) {
            // the write is committed; a failing database shows in the next write, and the file is
            // compacted at close or by the next run
        }
    }

    /**
     * Rewrites the H2 file into a new one ({@link H2Compaction#rewrite}) when this store's writer is
     * the database's only session; the next transaction opens the new file. Otherwise counts the
     * skip, and the next compaction tries again.
     *
     * @return whether the file was rewritten
     */
    private boolean rewriteFile() throws SQLException {
        if (!H2Compaction.alone(writer)) {
            upkeep = upkeep.afterSkippedRewrite();
            return false;
        }
        long start = System.nanoTime();
        Connection c = writer;
        writer = null;
        try {
            H2Compaction.rewrite(c);
        } finally {
            closeQuietly(c);
            upkeep = upkeep.afterRewrite(Duration.ofNanos(System.nanoTime() - start));
        }
        return true;
    }

    /** What this store has done to its embedded H2 file since it was opened (all zero for PostgreSQL). */
    public FileUpkeep upkeep() {
        return upkeep;
    }

    /** The size of the embedded H2 file in the data directory; empty for a JDBC URL (PostgreSQL, or H2 named by URL). */
    public java.util.OptionalLong fileBytes() {
        Optional<Path> dir = config.h2DataDir();
        if (dir.isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        try {
            return java.util.OptionalLong.of(Files.size(dir.get().resolve(StoreConfig.H2_FILE_NAME + ".mv.db")));
        } catch (IOException e) {
            // between a rewrite's rename and the next open, or not created yet
            return java.util.OptionalLong.empty();
        }
    }

    private <T> T attempt(String what, SqlWork<T> work) {
        Connection c;
        try {
            if (writer == null) {
                writer = connect(config, url);
                if (database == Database.H2) {
                    // the database may have been closed and opened again with this connection
                    H2Compaction.appendOnly(writer);
                }
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
            if (e instanceof DamagedRowException) {
                damagedInWrites.increment();
            }
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
        try (Connection c = connect(config, url)) {
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
            if (e instanceof DamagedRowException d) {
                damagedInReads.increment();
                throw d;
            }
            throw StoreErrors.classify(config.target(), "cannot " + what, e);
        }
    }

    /**
     * How many damaged rows ({@link DamagedRowException}) the work run on this store has met since it
     * was opened: each time a row is met counts, so a row read again is counted again.
     *
     * @param writes met by {@link #inTransaction} work: the ledger's writer (a damaged journal row
     *               rejects every poll of its host until it is repaired), sealing, retention
     * @param reads  met by {@link #query} work: reports, usage exports, bills and their figures, whether
     *               the read was refused or read the row's day from its 5-minute rows instead
     */
    public record DamagedRowsMet(long writes, long reads) {
        public static final DamagedRowsMet NONE = new DamagedRowsMet(0, 0);
    }

    /** Damaged rows met on this store so far (see {@link DamagedRowsMet}). */
    public DamagedRowsMet damagedRowsMet() {
        return new DamagedRowsMet(damagedInWrites.sum(), damagedInReads.sum());
    }

    /** A read met a damaged row and read around it (no exception reaches {@link #query}). */
    void damagedRowReadAround() {
        damagedInReads.increment();
    }

    /** Every host that has written to this database, sorted. */
    public List<String> hosts() {
        return query("list hosts", AccountingStore::hosts);
    }

    /** Every host of {@code pf_host}, sorted. */
    static List<String> hosts(Connection c) throws SQLException {
        List<String> hosts = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT host FROM pf_host ORDER BY host")) {
            while (rs.next()) {
                hosts.add(rs.getString(1));
            }
        }
        return hosts;
    }

    /** When the last stored poll of {@code host} was taken; empty for a host never polled. */
    public Optional<java.time.Instant> lastPoll(String host) {
        return query("read the last stored poll of " + host, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT last_polled_at FROM pf_host WHERE host = ?")) {
                ps.setString(1, host);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getObject(1, java.time.OffsetDateTime.class).toInstant())
                            : Optional.<java.time.Instant>empty();
                }
            }
        });
    }

    /** Every (anchor, label) the ledger has counters for, on {@code host} or (empty) on any host, sorted. */
    public List<LabelKey> labels(Optional<String> host) {
        return query("list labels", c -> labels(c, host));
    }

    /** Every (anchor, label) of {@code series} on {@code host} or (empty) on any host, sorted. */
    static List<LabelKey> labels(Connection c, Optional<String> host) throws SQLException {
        String sql = "SELECT DISTINCT anchor, label FROM series WHERE kind = 'label'" + (host.isPresent() ? " AND host = ?" : "")
                + " ORDER BY anchor, label";
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
            // never through the daemon's server: SHUTDOWN there would stop the daemon's database
            if (writer != null && database == Database.H2 && !readOnly) {
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
                H2Compaction.rewrite(c);
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
