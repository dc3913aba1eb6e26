package org.pfmeter.accounting.bench;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
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

/**
 * The monthly report with 95th percentiles over one month of 5-minute data for 1,000 labels
 * (8,928 buckets each: about 8.9 million rows), on H2 and on PostgreSQL, the same data in both.
 * Goal: H2 no slower than PostgreSQL, both under a minute on 2 cores. The days are sealed as the
 * ledger seals them (one {@code usage_5m_day} row a label and day), so the report reads those;
 * {@code -p sealed=false} reads every 5-minute row, as reports did before migration V3.
 * PostgreSQL needs PFMETER_BENCH_PG_URL, _USER and _PASSWORD; the table is filled once per trial.
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

    /** Whether the ledger's sealed days are there to read (false: the 5-minute rows only). */
    @Param({"true"})
    public boolean sealed;

    private static final int BUCKETS = 31 * 288;

    private BenchData data;
    private BillingReports reports;

    @Setup
    public void setUp() throws IOException, SQLException {
        data = new BenchData(database);
        Instant first = BenchData.MONTH.minus(Duration.ofDays(daysBefore));
        data.fill("bench", labels, first, -288 * daysBefore, BUCKETS - 1);
        if (sealed) {
            // statistics first: without them both databases plan the seal's read (usage_5m joined
            // with series by host) as a nested loop over the host's series for every row of the
            // day, 20 to 50 s a day instead of about one (accounting/README.md, "Ledger, measured")
            data.settle();
            // The ledger seals each ended day after the first bucket close of the next day
            // (LedgerStore.sealNextDay); the same code seals the filled days here, one transaction a day.
            long t0 = System.nanoTime();
            int days = data.sealUntil("bench", BenchData.MONTH.plus(Duration.ofDays(31)));
            double s = (System.nanoTime() - t0) / 1e9;
            System.err.printf("%nsealed %d days of %d labels in %.1f s (%.2f s a day)%n", days, labels, s, s / days);
        }
        data.settle();
        reports = new BillingReports(data.store, BillingCycle.calendarMonthsUtc(), CustomerMapping.empty(),
                Clock.fixed(Instant.parse("2026-11-20T00:00:00Z"), ZoneOffset.UTC));
    }

    @TearDown
    public void tearDown() throws IOException {
        data.close();
    }

    @Benchmark
    public BillingReport monthlyReport() {
        return reports.report(ReportQuery.of(BillingCycle.calendarMonthsUtc().period("2026-10")).withHost("bench"));
    }
}
