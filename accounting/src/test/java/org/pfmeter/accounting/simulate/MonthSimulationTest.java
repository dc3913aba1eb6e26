package org.pfmeter.accounting.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.billing.BillingCycle;
import org.pfmeter.accounting.billing.BillingPeriod;
import org.pfmeter.accounting.billing.BillingReport;
import org.pfmeter.accounting.billing.BillingReports;
import org.pfmeter.accounting.billing.Coverage;
import org.pfmeter.accounting.billing.CustomerMapping;
import org.pfmeter.accounting.billing.ReportQuery;
import org.pfmeter.accounting.billing.UsageExport;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.sim.GroundTruth;
import org.pfmeter.pf.sim.SimConfig;

/**
 * The end-to-end test: 35 simulated days of the SMALL firewall with ruleset reloads, counter
 * zeroing, pf restarts and kill -9 crashes; the billing reports' totals equal the simulator's ground
 * truth to the byte, and every label's 95th percentile equals one computed here from the raw
 * 5-minute samples.
 */
public class MonthSimulationTest {

    @TempDir
    Path dir;

    static final CustomerMapping CUSTOMERS = CustomerMapping.parse("""
            ACME   = glob:customers/acme:*
            Globex = glob:customers/globex*:*
            Office = regex:office:office-(web|mail)
            """, "test");

    /**
     * The samples with data sorted descending, skip the top 5 % (rounded down), take the next: the
     * bill's percentile.
     */
    static double independentP95(List<UsageExport.Sample> samples, boolean in) {
        List<Long> v = new ArrayList<>();
        for (UsageExport.Sample s : samples) {
            if (s.hasData()) {
                v.add(in ? s.bytesIn() : s.bytesOut());
            }
        }
        v.sort((a, b) -> Long.compare(b, a));
        return v.get(v.size() * 5 / 100) * 8.0 / 300;
    }

    @Test
    void thirtyFiveDaysWithReloadsZeroingRestartsAndCrashesEqualTheGroundTruthToTheByte() throws SQLException {
        MonthSimulation.Plan plan = MonthSimulation.defaultPlan(35).withPollInterval(Duration.ofMinutes(5));
        MonthSimulation.Result r = MonthSimulation.run(StoreConfig.h2(dir), plan);
        assertThat(r.crashes()).isEqualTo(5);
        verify(StoreConfig.h2(dir), r);

        try (Connection c = DriverManager.getConnection(StoreConfig.h2(dir).url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT DISTINCT kind FROM ledger_event")) {
            Set<String> kinds = new HashSet<>();
            while (rs.next()) {
                kinds.add(rs.getString(1));
            }
            assertThat(kinds).contains("baseline", "ruleset-changed", "ruleset-reloaded", "counters-backwards",
                    "pf-restarted");
        }
    }

    @Test
    void sixDaysWithTheEntriesOfTwoTablesAccountedEqualTheGroundTruthToTheByte() {
        List<org.pfmeter.pf.model.TableKey> named = List.of(new org.pfmeter.pf.model.TableKey("customers/acme", "acme-nets"),
                new org.pfmeter.pf.model.TableKey("customers/globex", "globex-nets"),
                new org.pfmeter.pf.model.TableKey("", "admins"));      // no counters flag: entries at zero
        MonthSimulation.Plan plan = MonthSimulation.defaultPlan(6).withPollInterval(Duration.ofMinutes(5))
                .withAddressTables(named);
        MonthSimulation.Result r = MonthSimulation.run(StoreConfig.h2(dir), plan);
        verify(StoreConfig.h2(dir), r);
        assertThat(r.seriesLedger().keySet().stream().filter(k -> k.kind() == org.pfmeter.accounting.store.SeriesKind.ADDRESS)
                .map(org.pfmeter.accounting.store.SeriesKey::table).distinct().toList())
                .contains("acme-nets", "globex-nets");
        assertThat(r.seriesTruth().values()).as("a reset discarded traffic nobody read")
                .anySatisfy(t -> assertThat(t.discarded()).isNotEqualTo(GroundTruth.Counts.ZERO));
        assertThat(r.lastStats().tableResets()).as("the last ledger saw the weekly pf restart").isPositive();
        assertThat(r.lastStats().addressResets()).isPositive();
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        MonthSimulation.print(r, new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(text.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("customers/acme:acme-nets ")
                .containsPattern("\\d+ tables, \\d+ bytes in all; the ledger equals the ground truth to the byte")
                .containsPattern("\\d+ table entries, \\d+ bytes in all; the ledger equals the ground truth to the byte");
    }

    @Test
    void countersAcross2To63AreCountedExactly() {
        MonthSimulation.Plan plan = MonthSimulation.defaultPlan(6).withPollInterval(Duration.ofMinutes(5))
                .withCounterStart(SimConfig.NEAR_2_63);
        MonthSimulation.Result r = MonthSimulation.run(StoreConfig.h2(dir), plan);
        assertThat(r.crashes()).isEqualTo(1);
        verify(StoreConfig.h2(dir), r);
    }

    /** The 5-minute slot the plan's first poll at or after {@code t} is booked in. */
    private static Instant slotOfFirstPollFrom(MonthSimulation.Plan plan, Instant t) {
        Instant poll = plan.start();
        while (poll.isBefore(t)) {
            poll = poll.plus(plan.pollInterval());
        }
        return SlotGrid.slotOf(poll);
    }

    /** Checks a finished simulation: ground truth, reports over every billing month it touches, percentiles. */
    public static void verify(StoreConfig db, MonthSimulation.Result r) {
        long crashes = r.plan().events().stream().filter(e -> e.kind() == MonthSimulation.Event.Kind.CRASH).count();
        assertThat(r.crashes()).isEqualTo(crashes);
        assertThat(r.lostPolls()).isEqualTo(r.crashes());
        assertThat(r.log()).as("every poll was written").noneMatch(l -> l.contains("poll not written"));
        // kill -9 lost no committed poll: after each restart the database holds the last poll before the crash
        assertThat(r.log().stream().filter(l -> l.contains(" restart: ")))
                .hasSize((int) crashes)
                .allSatisfy(l -> assertThat(l).contains("the database holds polls up to " + l.substring(0, 11) + "09:00:00Z"));
        assertThat(r.mismatches()).as("labels whose stored totals differ from the ground truth").isEmpty();
        // resets did discard traffic nobody had read: the ground truth is not trivially "counted"
        assertThat(r.truth().labels().values()).anySatisfy(t -> assertThat(t.discarded()).isNotEqualTo(GroundTruth.Counts.ZERO));
        // every table pf has is accounted, and the entries of the tables the plan names
        assertThat(r.seriesMismatches()).as("tables and entries whose stored totals differ from the ground truth").isEmpty();
        assertThat(r.seriesTruth().keySet().stream().filter(k -> k.kind() == org.pfmeter.accounting.store.SeriesKind.TABLE))
                .hasSizeGreaterThan(2);
        assertThat(r.seriesLedger().values()).anySatisfy(c -> assertThat(c.bytesIn()).isPositive());
        assertThat(java.util.stream.Stream.concat(r.seriesTruth().keySet().stream(), r.seriesLedger().keySet().stream())
                .filter(k -> k.kind() == org.pfmeter.accounting.store.SeriesKind.ADDRESS))
                .as("entries of the named tables only").allSatisfy(k -> assertThat(r.plan().addressTables()).contains(k.tableKey()));

        BillingCycle cycle = BillingCycle.calendarMonthsUtc();
        BillingPeriod first = cycle.periodContaining(r.plan().start());
        List<BillingPeriod> periods = new ArrayList<>();
        for (BillingPeriod p = first; p.start().isBefore(r.plan().end()); p = p.next()) {
            periods.add(p);
        }
        Clock end = Clock.fixed(r.plan().end(), ZoneOffset.UTC);
        Map<LabelKey, GroundTruth.Totals> truth = r.truth().labels();
        try (AccountingStore store = AccountingStore.open(db)) {
            // the ledger sealed every ended day (migration V3), so the reports below read sealed days
            long sealedDays = store.query("count sealed days", c -> {
                try (java.sql.PreparedStatement ps = c.prepareStatement(
                        "SELECT COUNT(DISTINCT d.day_start) FROM usage_5m_day d JOIN series s ON s.series_id = d.series_id"
                                + " WHERE s.host = ?")) {
                    ps.setString(1, r.plan().host());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
            assertThat(sealedDays).isEqualTo(r.plan().days() - 1);
            BillingReports reports = new BillingReports(store, cycle, CUSTOMERS, end);
            Map<LabelKey, long[]> sums = new java.util.HashMap<>();
            List<BillingReport> made = new ArrayList<>();
            for (BillingPeriod p : periods) {
                BillingReport report = reports.report(ReportQuery.of(p));
                made.add(report);
                assertThat(report.labels()).hasSize(truth.size());
                for (BillingReport.LabelLine l : report.labels()) {
                    long[] v = sums.computeIfAbsent(l.label(), k -> new long[4]);
                    v[0] += l.usage().bytesIn();
                    v[1] += l.usage().bytesOut();
                    v[2] += l.usage().packetsIn();
                    v[3] += l.usage().packetsOut();
                }
            }
            for (Map.Entry<LabelKey, GroundTruth.Totals> e : truth.entrySet()) {
                GroundTruth.Counts t = e.getValue().observable();
                assertThat(sums.get(e.getKey())).as(e.getKey() + ": bytes in, out, packets in, out")
                        .containsExactly(t.bytesIn(), t.bytesOut(), t.packetsIn(), t.packetsOut());
            }
            BillingReport october = made.get(0);
            assertThat(october.ended()).isEqualTo(!first.end().isAfter(r.plan().end()));
            assertThat(october.complete()).isEqualTo(october.ended() && october.coverage().full());
            if (r.plan().pollInterval().equals(Duration.ofMinutes(5))) {
                // every slot has data but those of the polls a crash and its 10 minutes down time cost
                List<Coverage.Gap> lost = new ArrayList<>();
                for (MonthSimulation.Event e : r.plan().events()) {
                    Instant crash = r.plan().start().plus(e.at());
                    if (e.kind() == MonthSimulation.Event.Kind.CRASH && first.contains(crash) && crash.isBefore(r.plan().end())) {
                        lost.add(new Coverage.Gap(slotOfFirstPollFrom(r.plan(), crash),
                                slotOfFirstPollFrom(r.plan(), crash.plus(MonthSimulation.Plan.DOWN_TIME))));
                    }
                }
                Coverage all = reports.report(ReportQuery.of(first).withGapThreshold(Duration.ZERO)).coverage();
                assertThat(all.gaps()).isEqualTo(lost);
                assertThat(all.elapsedSlots() - all.polledSlots()).isEqualTo(2 * lost.size());
                assertThat(october.coverage().gaps()).as("no gap over an hour").isEmpty();
                assertThat(october.complete()).isEqualTo(october.ended() && lost.isEmpty());
            }
            UsageExport export = new UsageExport(store, CUSTOMERS, end);
            for (BillingReport.LabelLine l : october.labels()) {
                List<UsageExport.Sample> samples = export.forLabel(first, Optional.empty(), l.name()).samples();
                assertThat(samples).hasSize(october.elapsedSlots());
                assertThat(samples.stream().filter(UsageExport.Sample::hasData)).hasSize(l.coverage().polledSlots());
                assertThat(l.usage().p95InBps()).as(l.name() + " p95 in").isEqualTo(independentP95(samples, true));
                assertThat(l.usage().p95OutBps()).as(l.name() + " p95 out").isEqualTo(independentP95(samples, false));
                assertThat(l.usage().p95InBps()).as(l.name() + " has traffic").isPositive();
            }
            for (BillingReport.CustomerLine c : october.customers()) {
                List<UsageExport.Sample> samples = export.forCustomer(first, Optional.empty(), c.customer()).samples();
                assertThat(c.usage().p95Bps()).as(c.customer())
                        .isEqualTo(Math.max(independentP95(samples, true), independentP95(samples, false)));
                long sum = october.labels().stream().filter(l -> l.customer().equals(Optional.of(c.customer())))
                        .mapToLong(l -> l.usage().bytesTotal()).sum();
                assertThat(c.usage().bytesTotal()).isEqualTo(sum);
            }
            assertThat(october.customers()).extracting(BillingReport.CustomerLine::customer)
                    .containsExactly("ACME", "Globex", "Office");
        }
    }
}
