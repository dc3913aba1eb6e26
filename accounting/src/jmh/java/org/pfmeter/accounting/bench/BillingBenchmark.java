package org.pfmeter.accounting.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;
import org.pfmeter.accounting.billing.BillingCycle;
import org.pfmeter.accounting.billing.BillingReport;
import org.pfmeter.accounting.billing.BillingReports;
import org.pfmeter.accounting.billing.CustomerMapping;
import org.pfmeter.accounting.billing.ReportQuery;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;

/**
 * The monthly report with 95th percentiles over one month of 5-minute data for 1,000 labels
 * (8,640 buckets each: about 8.6 million rows), on H2 and on PostgreSQL, the same data in both.
 * Goal: H2 no slower than PostgreSQL, both under a minute on 2 cores. PostgreSQL needs
 * PFMETER_BENCH_PG_URL, _USER and _PASSWORD; the table is filled once per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
@Timeout(time = 30, timeUnit = TimeUnit.MINUTES)
public class BillingBenchmark {

    @Param({"h2", "postgresql"})
    public String database;

    @Param({"1000"})
    public int labels;

    /**
     * Days of 5-minute rows before the reported month. Retention keeps 400 days by default, so a
     * real database holds a year more than the month a report reads.
     */
    @Param({"0"})
    public int daysBefore;

    private static final Instant MONTH = Instant.parse("2026-10-01T00:00:00Z");
    private static final int BUCKETS = 31 * 288;

    private AccountingStore store;
    private BillingReports reports;
    private Path h2Dir;

    @Setup
    public void setUp() throws IOException, SQLException {
        StoreConfig config;
        if (database.equals("postgresql")) {
            String url = System.getenv("PFMETER_BENCH_PG_URL");
            if (url == null) {
                throw new IllegalStateException("set PFMETER_BENCH_PG_URL (and _USER, _PASSWORD) to benchmark PostgreSQL, or run with -p database=h2");
            }
            config = StoreConfig.jdbc(url, System.getenv("PFMETER_BENCH_PG_USER"), System.getenv("PFMETER_BENCH_PG_PASSWORD"));
        } else {
            h2Dir = Files.createTempDirectory("pfmeter-billing-bench");
            config = StoreConfig.h2(h2Dir);
        }
        store = AccountingStore.open(config);
        store.inTransaction("clear benchmark data", c -> {
            c.createStatement().executeUpdate("DELETE FROM usage_5m WHERE host = 'bench'");
            c.createStatement().executeUpdate("DELETE FROM label_counters WHERE host = 'bench'");
            c.createStatement().executeUpdate("DELETE FROM pf_host WHERE host = 'bench'");
            // reports check that the host exists, as a ledger that polled it would have stored it
            return c.createStatement().executeUpdate("INSERT INTO pf_host (host, first_polled_at, last_polled_at,"
                    + " ruleset_checksum, pf_since) VALUES ('bench', TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00',"
                    + " TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00', 'bench', 0)");
        });
        // The rows are generated inside the database, the same integers on both (BIGINT arithmetic,
        // truncating division): one INSERT … SELECT per day instead of 8.6 million JDBC round trips,
        // which took over ten minutes on H2 on a loaded 2-core machine. The rows go in time first,
        // every label of a bucket before the next bucket, as the ledger writes them: filled label by
        // label, one label's month lay together on disk, which no real database looks like.
        String range = database.equals("postgresql")
                ? "generate_series(CAST(%d AS BIGINT), %d) AS b(x) CROSS JOIN generate_series(CAST(0 AS BIGINT), %d) AS l(x)"
                : "SYSTEM_RANGE(%d, %d) AS b CROSS JOIN SYSTEM_RANGE(0, %d) AS l";
        String start = database.equals("postgresql") ? "TIMESTAMPTZ '2026-10-01 00:00:00+00' + b.x * INTERVAL '300 seconds'"
                : "TIMESTAMP WITH TIME ZONE '2026-10-01 00:00:00+00' + b.x * INTERVAL '300' SECOND";
        String bytes = "(1 + MOD(l.x * 1000003 + b.x * b.x * 7919 + MOD(b.x, 288) * 104729, 4294967291))";
        // The primary key and the bucket index are dropped for the fill and built afterwards, on both
        // databases: inserted into, H2's log-structured file grew past 69 GB before the month was in
        // (every day's INSERT rewrote pages all over both indexes, faster than H2 reclaims them; at
        // the daemon's pace of one poll in 10 s its file stays near its live size, see the README).
        // Built afterwards, each index is compact, as a compacted or long-settled one would be. The
        // definitions are those of migrations V1 and V2; change them together.
        store.inTransaction("drop the usage_5m indexes for the fill", c -> {
            c.createStatement().executeUpdate("ALTER TABLE usage_5m DROP CONSTRAINT IF EXISTS pk_usage_5m");
            return c.createStatement().executeUpdate("DROP INDEX IF EXISTS ix_usage_5m_bucket");
        });
        for (int from = -288 * daysBefore; from < BUCKETS; from += 288) {
            int to = Math.min(BUCKETS, from + 288) - 1;
            String sql = "INSERT INTO usage_5m (host, anchor, label, bucket_start, packets_in, packets_out, bytes_in,"
                    + " bytes_out, evaluations, states_created, states_max, polls, resets)"
                    + " SELECT 'bench', 'customers', CONCAT('label-', l.x), " + start + ", " + bytes + " / 900, "
                    + bytes + " / 700, " + bytes + ", " + bytes + " / 3, 0, 0, 0, 30, 0 FROM "
                    + range.formatted(from, to, labels - 1) + " ORDER BY b.x, l.x";
            store.inTransaction("fill buckets " + from + ".." + to, c -> c.createStatement().executeUpdate(sql));
        }
        store.inTransaction("build the usage_5m indexes", c -> {
            c.createStatement().executeUpdate("ALTER TABLE usage_5m ADD CONSTRAINT pk_usage_5m PRIMARY KEY (host, anchor, label, bucket_start)");
            return c.createStatement().executeUpdate("CREATE INDEX ix_usage_5m_bucket ON usage_5m (bucket_start, host, anchor, label)");
        });
        // reports cover the labels the ledger has counters for: without these rows the report had
        // no label lines at all and only the reading of the rows was measured
        String counters = "INSERT INTO label_counters (host, anchor, label, polled_at, rule_count, evaluations,"
                + " packets_in, packets_out, bytes_in, bytes_out, states_total) SELECT 'bench', 'customers',"
                + " CONCAT('label-', l.x), TIMESTAMP WITH TIME ZONE '2026-11-01 00:00:00+00', 1, 0, 0, 0, 0, 0, 0 FROM "
                + (database.equals("postgresql") ? "generate_series(0, %d) AS l(x)" : "SYSTEM_RANGE(0, %d) AS l")
                .formatted(labels - 1);
        store.inTransaction("label counters", c -> c.createStatement().executeUpdate(counters));
        long rows = store.query("count", c -> {
            try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM usage_5m WHERE host = 'bench'")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        long expected = (long) labels * (BUCKETS + 288L * daysBefore);
        if (rows != expected) {
            throw new IllegalStateException("filled " + rows + " rows, expected " + expected);
        }
        // A month-old month as a report sees it: PostgreSQL's autovacuum has long since processed it
        // and both databases have statistics. Left to chance, autovacuum started during some runs
        // and not others.
        if (database.equals("postgresql")) {
            // VACUUM cannot run in a transaction: a connection of its own, in autocommit
            try (Connection c = DriverManager.getConnection(config.url(), config.user(), config.password());
                 Statement st = c.createStatement()) {
                st.execute("VACUUM ANALYZE usage_5m");
                st.execute("VACUUM ANALYZE label_counters");
            }
        } else {
            store.inTransaction("analyze", c -> c.createStatement().execute("ANALYZE"));
        }
        reports = new BillingReports(store, BillingCycle.calendarMonthsUtc(), CustomerMapping.empty(),
                Clock.fixed(Instant.parse("2026-11-20T00:00:00Z"), ZoneOffset.UTC));
    }

    @TearDown
    public void tearDown() throws IOException {
        store.close();
        // the H2 file of 300 labels is about 5 GB: left behind, a few runs filled the disk
        if (h2Dir != null) {
            try (Stream<Path> files = Files.walk(h2Dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    @Benchmark
    public BillingReport monthlyReport() {
        return reports.report(ReportQuery.of(BillingCycle.calendarMonthsUtc().period("2026-10")).withHost("bench"));
    }
}
