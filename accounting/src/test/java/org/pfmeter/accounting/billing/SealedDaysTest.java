package org.pfmeter.accounting.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.accounting.testing.Snapshots.bytes;
import static org.pfmeter.accounting.testing.Snapshots.snapshot;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.simulate.MonthSimulation;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.LedgerStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.accounting.store.TestTables;

/**
 * Reports read the ended UTC days a host has sealed from {@code usage_5m_day} (one row a label and
 * day) and the rest from {@code usage_5m}. Whatever the split, a report must be exactly the report
 * the 5-minute rows alone give: the same volumes, packets, percentiles, peaks and hosts, for every
 * label and customer, in a billing cycle whose months start at a UTC midnight and in one whose
 * months start inside a UTC day.
 */
class SealedDaysTest {

    static final CustomerMapping CUSTOMERS = CustomerMapping.parse("""
            ACME   = glob:customers/acme:*
            Globex = glob:customers/globex*:*
            """, "test");

    @TempDir
    Path dir;

    /** The reports of {@code cycle}'s months touched by the data, as of {@code asOf}. */
    private static List<BillingReport> reports(AccountingStore store, BillingCycle cycle, Instant from, Instant asOf) {
        BillingReports r = new BillingReports(store, cycle, CUSTOMERS, Clock.fixed(asOf, ZoneOffset.UTC));
        List<BillingReport> out = new java.util.ArrayList<>();
        for (BillingPeriod p = cycle.periodContaining(from); p.start().isBefore(asOf); p = p.next()) {
            out.add(r.report(ReportQuery.of(p)));
        }
        return out;
    }

    private static long dayRows(AccountingStore store) {
        return TestTables.dayRows(store);
    }

    /** Forgets that any day is sealed: reports then read every slot from usage_5m. */
    private static void unseal(AccountingStore store) {
        TestTables.unseal(store);
    }

    @Test
    void aLedgerSealsEveryEndedDayAndReportsFromThemEqualReportsFromTheFiveMinuteRows() {
        // five days across a month end, with a reload, a crash, a zeroing and a pf restart
        MonthSimulation.Plan plan = MonthSimulation.defaultPlan(6).withStart(Instant.parse("2026-10-28T00:00:00Z"))
                .withPollInterval(Duration.ofMinutes(5));
        MonthSimulation.run(StoreConfig.h2(dir), plan);
        Instant asOf = plan.end().plus(Duration.ofHours(3));
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            // one poll per day seals the day before: every day but the last is sealed
            Optional<Instant> sealed = new LedgerStore(store).load("sim").orElseThrow().host().sealedUntil();
            assertThat(sealed).contains(plan.end().minus(Duration.ofDays(1)));
            assertThat(dayRows(store)).as("day rows written").isPositive();

            BillingCycle utc = BillingCycle.calendarMonthsUtc();
            BillingCycle berlin = new BillingCycle(1, ZoneId.of("Europe/Berlin"));
            List<BillingReport> sealedUtc = reports(store, utc, plan.start(), asOf);
            List<BillingReport> sealedBerlin = reports(store, berlin, plan.start(), asOf);
            assertThat(sealedUtc).hasSize(2);
            assertThat(sealedUtc.get(0).labels()).anySatisfy(l -> assertThat(l.usage().p95InBps()).isPositive());

            unseal(store);
            assertThat(reports(store, utc, plan.start(), asOf)).isEqualTo(sealedUtc);
            assertThat(reports(store, berlin, plan.start(), asOf)).isEqualTo(sealedBerlin);
        }
    }

    @Test
    void usageExportsAreTheSameFromSealedDaysAndFromFiveMinuteRows() {
        MonthSimulation.Plan plan = MonthSimulation.defaultPlan(3).withPollInterval(Duration.ofMinutes(5));
        MonthSimulation.run(StoreConfig.h2(dir), plan);
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            assertThat(dayRows(store)).isPositive();
            BillingPeriod october = BillingCycle.calendarMonthsUtc().period("2026-10");
            UsageExport export = new UsageExport(store, CUSTOMERS, Clock.fixed(plan.end(), ZoneOffset.UTC));
            UsageExport.Samples sealed = export.forCustomer(october, Optional.empty(), "ACME");
            // a sealed day packs packets per slot too (schema v5): exports read them from either
            assertThat(sealed.samples()).anySatisfy(s -> assertThat(s.packetsIn()).isPositive());
            unseal(store);
            assertThat(export.forCustomer(october, Optional.empty(), "ACME")).isEqualTo(sealed);
        }
    }
}
