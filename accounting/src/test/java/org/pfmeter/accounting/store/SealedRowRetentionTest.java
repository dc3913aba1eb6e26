package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.billing.BillingCycle;
import org.pfmeter.accounting.billing.BillingPeriod;
import org.pfmeter.accounting.billing.BillingReport;
import org.pfmeter.accounting.billing.BillingReports;
import org.pfmeter.accounting.billing.CsvReportWriter;
import org.pfmeter.accounting.billing.CustomerMapping;
import org.pfmeter.accounting.billing.JsonReportWriter;
import org.pfmeter.accounting.billing.ReportQuery;
import org.pfmeter.accounting.billing.UsageExport;
import org.pfmeter.accounting.simulate.MonthSimulation;

/**
 * Deleting the 5-minute rows of sealed days ({@link SealedRowRetention}) changes no figure: the
 * monthly reports (CSV and JSON, months in UTC and in a zone whose months start inside a UTC day),
 * the usage exports, the ground-truth totals and the packets and bytes of every bucket
 * ({@link BucketRows}, {@link SeriesUsage}) are the same, to the byte, before and after. Rows of
 * days not sealed, and of sealed days within the retention, stay.
 */
class SealedRowRetentionTest {

    static final CustomerMapping CUSTOMERS = CustomerMapping.parse("""
            ACME   = glob:customers/acme:*
            Globex = glob:customers/globex*:*
            """, "test");

    @TempDir
    Path dir;
    AccountingStore store;

    StoreConfig config() {
        return StoreConfig.h2(dir);
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    /** Every figure a reader gives over the simulated span, as text. */
    private static List<String> figures(AccountingStore store, MonthSimulation.Plan plan, Instant asOf) {
        List<String> out = new ArrayList<>();
        Clock clock = Clock.fixed(asOf, ZoneOffset.UTC);
        for (BillingCycle cycle : List.of(BillingCycle.calendarMonthsUtc(), new BillingCycle(1, ZoneId.of("Europe/Berlin")))) {
            BillingReports reports = new BillingReports(store, cycle, CUSTOMERS, clock);
            for (BillingPeriod p = cycle.periodContaining(plan.start()); p.start().isBefore(asOf); p = p.next()) {
                BillingReport r = reports.report(ReportQuery.of(p));
                StringWriter csv = new StringWriter();
                new CsvReportWriter().write(r, csv);
                StringWriter json = new StringWriter();
                new JsonReportWriter().write(r, json);
                out.add(csv.toString());
                out.add(json.toString());
                UsageExport export = new UsageExport(store, CUSTOMERS, clock);
                for (String customer : List.of("ACME", "Globex")) {
                    StringWriter u = new StringWriter();
                    export.writeCsv(export.forCustomer(p, Optional.empty(), customer), u);
                    out.add(u.toString());
                }
            }
        }
        out.add(MonthSimulation.storedTotals(store, plan.host(), plan.start().minus(SlotGrid.LENGTH), plan.end()).toString());
        // buckets from a range that starts and ends inside UTC days, and from everything
        for (Instant[] range : List.of(new Instant[] {plan.start().plus(Duration.ofHours(37)), plan.end().minus(Duration.ofHours(29))},
                new Instant[] {Instant.EPOCH, asOf})) {
            List<BucketRows.Row> rows = store.query("rows", c -> BucketRows.read(c, Optional.empty(), range[0], range[1]));
            StringBuilder s = new StringBuilder();
            for (BucketRows.Row r : rows) {
                SlotUsage u = r.usage();
                s.append(r.host()).append(' ').append(r.key()).append(' ').append(r.bucket()).append(' ').append(u.packetsIn())
                        .append(' ').append(u.packetsOut()).append(' ').append(u.bytesIn()).append(' ').append(u.bytesOut())
                        .append(' ').append(r.open()).append('\n');
            }
            out.add(s.toString());
            StringBuilder t = new StringBuilder();
            SeriesUsage.totals(store, plan.host(), SeriesKind.LABEL, range[0], range[1]).forEach((k, u) -> t.append(k)
                    .append(' ').append(u.packetsIn()).append(' ').append(u.packetsOut()).append(' ').append(u.bytesIn())
                    .append(' ').append(u.bytesOut()).append('\n'));
            out.add(t.toString());
        }
        return out;
    }

    private static long rows(AccountingStore store, Instant from, Instant to) {
        return store.query("count rows", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM usage_5m WHERE bucket_start >= ? AND bucket_start < ?")) {
                ps.setObject(1, LedgerStore.utc(from));
                ps.setObject(2, LedgerStore.utc(to));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Test
    void deletingTheSealedDaysRowsChangesNoReportExportOrBucket() {
        // six days across a month end, with a reload, a crash, a zeroing and a pf restart
        MonthSimulation.Plan plan = MonthSimulation.defaultPlan(6).withStart(Instant.parse("2026-10-28T00:00:00Z"))
                .withPollInterval(Duration.ofMinutes(5));
        MonthSimulation.run(config(), plan);
        Instant asOf = plan.end().plus(Duration.ofHours(3));
        store = AccountingStore.open(config());
        Instant sealedUntil = new LedgerStore(store).load(plan.host()).orElseThrow().host().sealedUntil().orElseThrow();
        assertThat(sealedUntil).isEqualTo(plan.end().minus(Duration.ofDays(1)));
        List<String> before = figures(store, plan, asOf);
        long unsealed = rows(store, sealedUntil, asOf);
        assertThat(unsealed).isPositive();

        // kept for two days: the rows of the sealed days that started more than two days before asOf go
        Instant horizon = Instant.ofEpochSecond(SlotGrid.floor(asOf.minus(Duration.ofDays(2))));
        assertThat(horizon).isBefore(sealedUntil);
        long due = rows(store, Instant.EPOCH, horizon);
        long kept = rows(store, horizon, sealedUntil);
        assertThat(due).isPositive();
        assertThat(kept).isPositive();
        SealedRowRetention retention = new SealedRowRetention(store, Duration.ofDays(2));
        long deleted = 0;
        int runs = 0;
        SealedRowRetention.Result r;
        do {
            // no budget: one batch a run, as when the writer is busy
            r = retention.run(asOf, Duration.ZERO);
            deleted += r.rowsDeleted();
            runs++;
        } while (!r.caughtUp() && runs < 10_000);
        assertThat(r.caughtUp()).isTrue();
        assertThat(runs).as("runs of one batch").isGreaterThan(1);
        assertThat(deleted).isEqualTo(due);
        assertThat(rows(store, Instant.EPOCH, horizon)).isZero();
        assertThat(rows(store, horizon, sealedUntil)).isEqualTo(kept);
        assertThat(rows(store, sealedUntil, asOf)).isEqualTo(unsealed);

        assertThat(figures(store, plan, asOf)).isEqualTo(before);
        assertThat(retention.run(asOf, Duration.ofSeconds(1)).rowsDeleted()).isZero();

        // kept for no time: every row of every sealed day goes, the rest stays, and still nothing changes
        SealedRowRetention.Result all = new SealedRowRetention(store, Duration.ZERO).run(asOf.plus(Duration.ofDays(30)),
                Duration.ofMinutes(5));
        assertThat(all.caughtUp()).isTrue();
        assertThat(all.rowsDeleted()).isEqualTo(kept);
        assertThat(rows(store, Instant.EPOCH, sealedUntil)).isZero();
        assertThat(rows(store, sealedUntil, asOf)).isEqualTo(unsealed);
        assertThat(figures(store, plan, asOf)).isEqualTo(before);
    }

    @Test
    void aHostWithNoSealedDayLosesNoRow() {
        MonthSimulation.Plan plan = MonthSimulation.defaultPlan(2).withPollInterval(Duration.ofMinutes(5));
        MonthSimulation.run(config(), plan);
        store = AccountingStore.open(config());
        long all = rows(store, Instant.EPOCH, plan.end().plus(Duration.ofDays(1)));
        TestTables.unseal(store);
        SealedRowRetention.Result r = new SealedRowRetention(store, Duration.ZERO).run(plan.end().plus(Duration.ofDays(30)),
                Duration.ofSeconds(5));
        assertThat(r.rowsDeleted()).isZero();
        assertThat(rows(store, Instant.EPOCH, plan.end().plus(Duration.ofDays(1)))).isEqualTo(all).isPositive();
    }
}
