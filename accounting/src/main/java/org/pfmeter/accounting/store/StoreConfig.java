package org.pfmeter.accounting.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the accounting database lives: an embedded H2 file under a data directory (the default for
 * a single firewall), or any JDBC URL, in practice PostgreSQL, for a fleet sharing one database.
 * Immutable; {@link #toString()} never shows the password.
 *
 * <p>Config keys the exporter maps onto this (see exporter/README.md, "Configuration", and
 * accounting/README.md, "Storage"):
 * {@code accounting.data-dir} → {@link #h2(Path)}; {@code accounting.jdbc-url},
 * {@code accounting.jdbc-user}, {@code accounting.jdbc-password} (or {@code …-password-file}) →
 * {@link #jdbc(String, String, String)}. A JDBC URL wins over the data directory.
 *
 * @param dataDir  the H2 data directory (the database is {@code dataDir/pfmeter.mv.db}), or null
 * @param jdbcUrl  a JDBC URL, or null for H2 under {@code dataDir}
 * @param user     the database user (JDBC only; may be empty)
 * @param password the database password (JDBC only; may be empty)
 */
public record StoreConfig(Path dataDir, String jdbcUrl, String user, String password) {

    /** The file name H2 gets under the data directory (H2 appends {@code .mv.db}). */
    public static final String H2_FILE_NAME = "pfmeter";

    /**
     * H2's {@code MAX_COMPACT_TIME}: how long H2 itself compacts the file when the database closes
     * (H2's default is 200 ms). Zero, because {@link AccountingStore#close()} compacts first, better:
     * H2's bounded close compaction rewrites chunks before it moves any and can leave the file larger
     * than it was (22.7 MB to 35 MB in one measurement, 2026-12-03).
     */
    public static final int CLOSE_COMPACT_MILLIS = 0;

    public StoreConfig {
        if ((dataDir == null) == (jdbcUrl == null)) {
            throw new IllegalArgumentException(
                    "accounting storage: give either a data directory (accounting.data-dir) or a JDBC URL (accounting.jdbc-url)");
        }
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("accounting.jdbc-url: '" + jdbcUrl
                    + "' is not a JDBC URL; expected e.g. jdbc:postgresql://db.example.net:5432/pfmeter");
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /** The embedded H2 database {@code dataDir/pfmeter.mv.db}; the directory is created when missing. */
    public static StoreConfig h2(Path dataDir) {
        return new StoreConfig(Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize(), null, "", "");
    }

    /** Any JDBC database, e.g. {@code jdbc:postgresql://db:5432/pfmeter}. */
    public static StoreConfig jdbc(String url, String user, String password) {
        return new StoreConfig(null, Objects.requireNonNull(url, "url"), user, password);
    }

    public Optional<Path> h2DataDir() {
        return Optional.ofNullable(dataDir);
    }

    /** The JDBC URL pfmeter connects to. */
    public String url() {
        if (jdbcUrl != null) {
            return jdbcUrl;
        }
        // DB_CLOSE_ON_EXIT=FALSE: the store closes the database itself; H2's own shutdown hook would
        // race the exporter's. WRITE_DELAY=0: H2 hands every commit to the OS before commit()
        // returns (its default keeps up to 500 ms of commits in memory), so kill -9 loses no
        // committed poll; MVStore never keeps half of a transaction either way. It also stops H2's
        // background compaction, hence AccountingStore.compact. MAX_COMPACT_TIME: see
        // CLOSE_COMPACT_MILLIS. COMPRESS=TRUE: H2 compresses each page it writes (LZF); a poll of
        // 5,000 labels then writes 3.2 MB instead of 9.3 MB (accounting/README.md, "H2's file and
        // disk writes"). Pages written without it stay readable.
        return "jdbc:h2:file:" + dataDir.resolve(H2_FILE_NAME) + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;COMPRESS=TRUE"
                + ";MAX_COMPACT_TIME=" + CLOSE_COMPACT_MILLIS + ";QUERY_CACHE_SIZE=64;LAZY_QUERY_EXECUTION=TRUE";
    }

    /**
     * The embedded H2 file opened read-only, as billing and usage open it when no daemon holds it:
     * IFEXISTS never creates a database, ACCESS_MODE_DATA=r writes nothing (H2 then makes no lock
     * file and no trace file either).
     */
    String readOnlyUrl() {
        if (jdbcUrl != null) {
            throw new IllegalStateException("not an embedded H2 database: " + target());
        }
        return "jdbc:h2:file:" + dataDir.resolve(H2_FILE_NAME) + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r;LAZY_QUERY_EXECUTION=TRUE";
    }

    /**
     * The running daemon's H2 database through its loopback server ({@link ReadServer}): port and key
     * come from the server file, everything else from this jar (settings as {@link #url()}), so the
     * file cannot smuggle URL options into the reading process.
     */
    String serverUrl(int port, String key) {
        String embedded = url();
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + key + embedded.substring(embedded.indexOf(';'));
    }

    /** What to name in messages: the H2 file or the URL without credentials. */
    public String target() {
        if (jdbcUrl == null) {
            return dataDir.resolve(H2_FILE_NAME + ".mv.db").toString();
        }
        return redact(jdbcUrl);
    }

    static String redact(String url) {
        // jdbc:postgresql://host/db?user=x&password=secret → password=***
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public String toString() {
        return jdbcUrl == null ? "StoreConfig[h2 " + target() + "]"
                : "StoreConfig[" + target() + (user.isEmpty() ? "" : " as " + user) + "]";
    }
}
