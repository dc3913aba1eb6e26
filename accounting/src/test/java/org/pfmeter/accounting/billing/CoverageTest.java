package org.pfmeter.accounting.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pfmeter.accounting.testing.Snapshots.bytes;
import static org.pfmeter.accounting.testing.Snapshots.snapshot;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;

/**
 * Coverage over data the real ledger wrote into a real H2 file: host fw1 polled every 5 minutes
 * (at 10 s past each slot) from 2026-10-28 to 2026-12-01, so October has 4 days of data and
 * November all of it, except for one skipped half hour on 29 October. Label "web" moves 300,000
 * bytes in per poll (8,000 bit/s); label "idle" never moves.
 */
class CoverageTest {

    private static final BillingCycle CYCLE = BillingCycle.calendarMonthsUtc();
    private static final Instant FIRST_POLL = Instant.parse("2026-10-28T00:00:10Z");
    private static final Instant LAST_POLL = Instant.parse("2026-12-01T00:00:10Z");
    /** The polls skipped: 29 October 12:00:10 to 12:25:10, i.e. slots 12:00 to 12:25. */
    private static final Instant SKIP_FROM = Instant.parse("2026-10-29T12:00:00Z");
    private static final Instant SKIP_TO = Instant.parse("2026-10-29T12:30:00Z");
    private static final double RATE = 300_000 * 8 / 300.0;

    @TempDir
    static Path dir;

    private static AccountingStore store;

    @BeforeAll
    static void fill() {
        store = AccountingStore.open(StoreConfig.h2(dir));
        Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(FIRST_POLL, ZoneOffset.UTC));
        long in = 0;
        for (Instant t = FIRST_POLL; !t.isAfter(LAST_POLL); t = t.plus(Duration.ofMinutes(5))) {
            in += 300_000;
            if (!t.isBefore(SKIP_FROM) && t.isBefore(SKIP_TO)) {
                continue;
            }
            ledger.record("fw1", snapshot(t, "sum", 20, bytes("web", in, 0), bytes("idle", 0, 0)));
        }
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static BillingReport report(Instant now, ReportQuery q) {
        return new BillingReports(store, CYCLE, CustomerMapping.parse("ACME = web\n", "test"), Clock.fixed(now, ZoneOffset.UTC))
                .report(q);
    }

    private static BillingReport.LabelLine line(BillingReport r, String name) {
        return r.labels().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aWhollyPolledMonthIsComplete() {
        BillingReport r = report(Instant.parse("2026-12-02T00:00:00Z"), ReportQuery.of(CYCLE.period("2026-11")));
        assertThat(r.ended()).isTrue();
        assertThat(r.complete()).isTrue();
        assertThat(r.coverage()).isEqualTo(new Coverage(8640, 8640, List.of()));
        assertThat(r.coverage().ratio()).isEqualTo(1.0);
        assertThat(line(r, "web").coverage()).isEqualTo(new Coverage(8640, 8640, List.of()));
        // a label that never moved has no row at all, but its host was polled: covered
        assertThat(line(r, "idle").coverage()).isEqualTo(new Coverage(8640, 8640, List.of()));
        assertThat(line(r, "web").usage().p95InBps()).isEqualTo(RATE);
        assertThat(r.customers().get(0).coverage().full()).isTrue();
    }

    @Test
    void aMonthWithFourDaysOfDataIsNotCompleteListsItsGapAndBillsThePolledSlotsOnly() {
        BillingReport r = report(Instant.parse("2026-12-02T00:00:00Z"), ReportQuery.of(CYCLE.period("2026-10")));
        assertThat(r.ended()).isTrue();
        assertThat(r.complete()).isFalse();
        // 4 days of 288 slots, less the 6 slots skipped on the 29th; the half hour is under the threshold
        Coverage fourDays = new Coverage(4 * 288 - 6, 31 * 288, List.of(
                new Coverage.Gap(Instant.parse("2026-10-01T00:00:00Z"), FIRST_POLL.minusSeconds(10))));
        assertThat(r.coverage()).isEqualTo(fourDays);
        assertThat(r.coverage().ratio()).isCloseTo(4 / 31.0, org.assertj.core.data.Offset.offset(0.001));
        assertThat(line(r, "web").coverage()).isEqualTo(fourDays);
        assertThat(line(r, "idle").coverage()).isEqualTo(fourDays);
        assertThat(r.customers().get(0).coverage()).isEqualTo(fourDays);
        // the rate of the polled slots, not 0 as when the 27 unpolled days counted as zeros
        assertThat(line(r, "web").usage().p95InBps()).isEqualTo(RATE);
        assertThat(line(r, "web").usage().bytesIn()).isEqualTo((4 * 288 - 1) * 300_000L);
    }

    @Test
    void aGapUnderTheThresholdLowersTheCoverageButIsListedOnlyUnderALowerThreshold() {
        ReportQuery oct = ReportQuery.of(CYCLE.period("2026-10"));
        Instant now = Instant.parse("2026-12-02T00:00:00Z");
        assertThat(report(now, oct).coverage().gaps()).hasSize(1);
        Coverage.Gap halfHour = new Coverage.Gap(SKIP_FROM, SKIP_TO);
        assertThat(report(now, oct.withGapThreshold(Duration.ofMinutes(29))).coverage().gaps()).contains(halfHour);
        assertThat(report(now, oct.withGapThreshold(Duration.ofMinutes(30))).coverage().gaps()).doesNotContain(halfHour);
    }

    @Test
    void aMonthBeforeAnyDataIsAnErrorNamingTheFirstMonthWithData() {
        assertThatThrownBy(() -> report(Instant.parse("2026-12-02T00:00:00Z"), ReportQuery.of(CYCLE.period("2026-09"))))
                .isInstanceOf(NoDataException.class)
                .hasMessage("billing month 2026-09 is before any data: the first poll was at 2026-10-28T00:00:10Z,"
                        + " so the first month with data is 2026-10");
        UsageExport export = new UsageExport(store, CustomerMapping.empty(), Clock.fixed(Instant.parse("2026-12-02T00:00:00Z"),
                ZoneOffset.UTC));
        assertThatThrownBy(() -> export.forLabel(CYCLE.period("2026-09"), Optional.empty(), "web"))
                .isInstanceOf(NoDataException.class)
                .hasMessageContaining("the first month with data is 2026-10");
    }

    @Test
    void theCurrentMonthIsMeasuredUpToNow() {
        // 15 November 12:02: 14.5 days and the slot in progress (polled at 12:00:10)
        Instant now = Instant.parse("2026-11-15T12:02:00Z");
        BillingReport r = report(now, ReportQuery.of(CYCLE.period("2026-11")));
        assertThat(r.ended()).isFalse();
        assertThat(r.complete()).isFalse();
        assertThat(r.elapsedSlots()).isEqualTo(14 * 288 + 144 + 1);
        assertThat(r.coverage()).isEqualTo(new Coverage(14 * 288 + 144 + 1, 14 * 288 + 144 + 1, List.of()));
        assertThat(line(r, "web").usage().p95InBps()).isEqualTo(RATE);
        assertThat(line(r, "web").projection()).isPresent();
    }
}
