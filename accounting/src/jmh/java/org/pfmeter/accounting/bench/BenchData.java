package org.pfmeter.accounting.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.stream.Stream;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.LedgerStore;
import org.pfmeter.accounting.store.StoreConfig;

/**
 * The accounting data the billing and sealing benchmarks read: 5-minute rows of {@code labels}
 * labels of one host (schema v5: series ids), generated inside the database, the same integers on
 * H2 and PostgreSQL.
 */
final class BenchData {

    /** October 2026, the month the benchmarks fill and report. */
    static final Instant MONTH = Instant.parse("2026-10-01T00:00:00Z");

    final String database;
    final StoreConfig config;
    final AccountingStore store;
    private final Path h2Dir;

    /** Opens H2 in a new temporary directory, or the PostgreSQL of PFMETER_BENCH_PG_URL, _USER, _PASSWORD. */
    BenchData(String database) throws IOException {
        this.database = database;
        if (database.equals("postgresql")) {
            String url = System.getenv("PFMETER_BENCH_PG_URL");
            if (url == null) {
                throw new IllegalStateException("set PFMETER_BENCH_PG_URL (and _USER, _PASSWORD) to benchmark PostgreSQL, or run with -p database=h2");
            }
            config = StoreConfig.jdbc(url, System.getenv("PFMETER_BENCH_PG_USER"), System.getenv("PFMETER_BENCH_PG_PASSWORD"));
            h2Dir = null;
        } else {
            h2Dir = Files.createTempDirectory("pfmeter-bench");
            config = StoreConfig.h2(h2Dir);
        }
        store = AccountingStore.open(config);
    }

    /**
     * Replaces the data of {@code host}: its pf_host row (first polled at {@code firstPolled}), one
     * series and one label_counters row per label, the 5-minute rows of buckets {@code first..last}
     * (0 is 1 October 00:00), every label in every bucket, and a poll slot for each of those
     * buckets: what the ledger leaves once those buckets are closed (schema v5), with no day sealed.
     */
    void fill(String host, int labels, Instant firstPolled, int first, int last) {
        store.inTransaction("clear benchmark data", c -> {
            for (String t : new String[] {"usage_5m", "usage_5m_day", "label_counters"}) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t
                        + " WHERE series_id IN (SELECT series_id FROM series WHERE host = ?)")) {
                    ps.setString(1, host);
                    ps.executeUpdate();
                }
            }
            for (String t : new String[] {"poll_journal", "host_poll_slot", "series", "pf_host"}) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t + " WHERE host = ?")) {
                    ps.setString(1, host);
                    ps.executeUpdate();
                }
            }
            // reports and sealing look up the host, as a ledger that polled it would have stored it
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pf_host (host, first_polled_at, last_polled_at,"
                    + " ruleset_checksum, pf_since) VALUES (?, ?, ?, 'bench', 0)")) {
                ps.setString(1, host);
                ps.setObject(2, firstPolled.atOffset(ZoneOffset.UTC));
                ps.setObject(3, MONTH.plusSeconds(300L * (last + 1)).atOffset(ZoneOffset.UTC));
                return ps.executeUpdate();
            }
        });
        boolean pg = database.equals("postgresql");
        // the series are numbered by the database (an identity column), in label order, so that a
        // bucket's rows go in series order as the ledger's closing of a bucket inserts them
        String labelRange = (pg ? "generate_series(CAST(0 AS BIGINT), %d) AS l(x)" : "SYSTEM_RANGE(0, %d) AS l")
                .formatted(labels - 1);
        store.inTransaction("series", c -> c.createStatement().executeUpdate("INSERT INTO series (host, anchor, label)"
                + " SELECT '" + host + "', 'customers', CONCAT('label-', l.x) FROM " + labelRange + " ORDER BY l.x"));
        // label-N is series first + N: the fill computes the number instead of joining series
        // (H2 evaluated that join's CONCAT for every pair, minutes a day)
        long firstId = store.query("series numbers", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(series_id), MAX(series_id), COUNT(*),"
                    + " SUM(CASE WHEN label = CONCAT('label-', series_id - (SELECT MIN(series_id) FROM series WHERE host = ?))"
                    + " THEN 1 ELSE 0 END) FROM series WHERE host = ?")) {
                ps.setString(1, host);
                ps.setString(2, host);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(2) - rs.getLong(1) != labels - 1 || rs.getLong(3) != labels || rs.getLong(4) != labels) {
                        throw new IllegalStateException("the series of " + host + " are not numbered label by label: "
                                + rs.getLong(1) + ".." + rs.getLong(2) + ", " + rs.getLong(4) + " of " + rs.getLong(3) + " in order");
                    }
                    return rs.getLong(1);
                }
            }
        });
        // One INSERT … SELECT per day instead of millions of JDBC round trips, which took over ten
        // minutes on H2 on a loaded 2-core machine. The rows go in time first, every label of a
        // bucket before the next bucket, as the ledger writes them. The primary key of usage_5m
        // leads with the bucket (migration V5), so this appends to it, as the ledger does: no index
        // needs to be dropped for the fill any more.
        String range = pg
                ? "generate_series(CAST(%d AS BIGINT), %d) AS b(x) CROSS JOIN generate_series(CAST(0 AS BIGINT), %d) AS l(x)"
                : "SYSTEM_RANGE(%d, %d) AS b CROSS JOIN SYSTEM_RANGE(0, %d) AS l";
        String start = pg ? "TIMESTAMPTZ '2026-10-01 00:00:00+00' + b.x * INTERVAL '300 seconds'"
                : "TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00' + b.x * INTERVAL '300' SECOND";
        String bytes = "(1 + MOD(l.x * 1000003 + b.x * b.x * 7919 + MOD(b.x, 288) * 104729, 4294967291))";
        for (int from = first; from <= last; from += 288) {
            int to = Math.min(last, from + 287);
            String sql = "INSERT INTO usage_5m (bucket_start, series_id, packets_in, packets_out, bytes_in,"
                    + " bytes_out, evaluations, states_created, states_max, polls, resets)"
                    + " SELECT " + start + ", CAST(" + firstId + " + l.x AS INTEGER), " + bytes + " / 900, "
                    + bytes + " / 700, " + bytes + ", " + bytes + " / 3, 0, 0, 0, 30, 0 FROM "
                    + range.formatted(from, to, labels - 1) + " ORDER BY b.x, l.x";
            store.inTransaction("fill buckets " + from + ".." + to, c -> c.createStatement().executeUpdate(sql));
        }
        // the raw counters as of the last closed bucket, as the ledger checkpoints them
        String counters = "INSERT INTO label_counters (series_id, polled_at, rule_count, evaluations,"
                + " packets_in, packets_out, bytes_in, bytes_out, states_total) SELECT series_id,"
                + " TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00', 1, 0, 0, 0, 0, 0, 0 FROM series WHERE host = '"
                + host + "'";
        store.inTransaction("label counters", c -> c.createStatement().executeUpdate(counters));
        // the host was polled in every slot it has rows for (migration V4), as the ledger records it
        String slots = "INSERT INTO host_poll_slot (host, slot_start) SELECT '" + host + "', " + start + " FROM "
                + (pg ? "generate_series(CAST(%d AS BIGINT), %d) AS b(x)" : "SYSTEM_RANGE(%d, %d) AS b").formatted(first, last);
        store.inTransaction("poll slots", c -> c.createStatement().executeUpdate(slots));
        long rows = store.query("count", c -> {
            // by the series numbers: a join with series is planned as a nested loop by H2 here
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM usage_5m WHERE series_id BETWEEN ? AND ?")) {
                ps.setLong(1, firstId);
                ps.setLong(2, firstId + labels - 1);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        long expected = (long) labels * (last - first + 1);
        if (rows != expected) {
            throw new IllegalStateException("filled " + rows + " rows, expected " + expected);
        }
    }

    /**
     * Seals every day of {@code host} that ends by {@code until} with the ledger's own code
     * ({@link LedgerStore#sealNextDay}, one transaction a day, as the ledger seals them after
     * closing buckets).
     *
     * @return the days sealed
     */
    int sealUntil(String host, Instant until) {
        LedgerStore tables = new LedgerStore(store);
        int days = 0;
        while (tables.sealNextDay(host, until).isPresent()) {
            days++;
        }
        return days;
    }

    /**
     * Gives both databases statistics, and PostgreSQL a vacuum, as a month-old month would have had:
     * left to chance, autovacuum started during some runs and not others.
     */
    void settle() throws SQLException {
        if (database.equals("postgresql")) {
            // VACUUM cannot run in a transaction: a connection of its own, in autocommit
            try (Connection c = DriverManager.getConnection(config.url(), config.user(), config.password());
                 Statement st = c.createStatement()) {
                for (String t : new String[] {"usage_5m", "usage_5m_day", "label_counters", "series", "host_poll_slot", "pf_host"}) {
                    st.execute("VACUUM ANALYZE " + t);
                }
            }
        } else {
            store.inTransaction("analyze", c -> c.createStatement().execute("ANALYZE"));
        }
    }

    /** Closes the store and deletes an H2 database (a month of 300 labels is about 5 GB). */
    void close() throws IOException {
        store.close();
        if (h2Dir != null) {
            try (Stream<Path> files = Files.walk(h2Dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }
}
