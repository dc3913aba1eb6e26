package org.pfmeter.accounting.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.accounting.testing.Snapshots.bytes;
import static org.pfmeter.accounting.testing.Snapshots.snapshot;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;

/**
 * An HA pair written by the real ledger on 1 October 2026: fw1 polled every 5 minutes all day, fw2
 * too except from 06:00 to 09:00. Label "web" is on both, "only1" on fw1, "only2" (idle) on fw2. A
 * line has data in a slot when every host it adds up was polled in it: fw1's traffic during fw2's
 * gap does not hide that fw2's share of "web" is unknown there.
 */
class SeveralHostsCoverageTest {

    private static final Instant DAY = Instant.parse("2026-10-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-10-02T00:00:00Z");
    private static final Coverage.Gap FW2_DOWN = new Coverage.Gap(Instant.parse("2026-10-01T06:00:00Z"),
            Instant.parse("2026-10-01T09:00:00Z"));

    @TempDir
    Path dir;

    private AccountingStore store;

    @BeforeEach
    void fill() {
        store = AccountingStore.open(StoreConfig.h2(dir));
        Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(DAY, ZoneOffset.UTC));
        for (int i = 0; i < 288; i++) {
            Instant t = DAY.plusSeconds(300L * i + 10);
            ledger.record("fw1", snapshot(t, "a", 1, bytes("web", 300_000L * i, 0), bytes("only1", 1000L * i, 0)));
            if (t.isBefore(FW2_DOWN.start()) || t.isAfter(FW2_DOWN.end())) {
                ledger.record("fw2", snapshot(t, "b", 1, bytes("web", 100_000L * i, 0), bytes("only2", 0, 0)));
            }
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    private BillingReport report(ReportQuery q) {
        return new BillingReports(store, BillingCycle.calendarMonthsUtc(), CustomerMapping.empty(), Clock.fixed(NOW, ZoneOffset.UTC))
                .report(q);
    }

    private static BillingReport.LabelLine line(BillingReport r, String name) {
        return r.labels().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aLineHasDataWhereEveryHostItAddsUpWasPolled() {
        BillingReport r = report(ReportQuery.of(BillingCycle.calendarMonthsUtc().period("2026-10")));
        Coverage fw2Gap = new Coverage(288 - 36, 288, List.of(FW2_DOWN));
        assertThat(r.coverage()).isEqualTo(fw2Gap);
        assertThat(line(r, "web").coverage()).isEqualTo(fw2Gap);
        assertThat(line(r, "only2").coverage()).isEqualTo(fw2Gap);
        // fw2 being down does not touch a label only fw1 has
        assertThat(line(r, "only1").coverage()).isEqualTo(new Coverage(288, 288, List.of()));
        // the 252 slots with data of both: 300 kB + 100 kB a slot (the 09:00 slot books fw2's 3 hours,
        // one of the 12 highest the percentile discards)
        assertThat(line(r, "web").usage().p95InBps()).isEqualTo(400_000 * 8 / 300.0);
    }

    @Test
    void oneHostsReportIsCoveredByThatHostsPollsOnly() {
        ReportQuery oct = ReportQuery.of(BillingCycle.calendarMonthsUtc().period("2026-10"));
        assertThat(report(oct.withHost("fw1")).coverage()).isEqualTo(new Coverage(288, 288, List.of()));
        assertThat(line(report(oct.withHost("fw1")), "web").coverage()).isEqualTo(new Coverage(288, 288, List.of()));
        assertThat(line(report(oct.withHost("fw2")), "web").coverage()).isEqualTo(new Coverage(252, 288, List.of(FW2_DOWN)));
    }
}
