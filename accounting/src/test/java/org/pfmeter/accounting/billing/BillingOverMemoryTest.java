package org.pfmeter.accounting.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pfmeter.accounting.store.SlotGrid;

/**
 * Billing's own logic over a {@link MemoryUsageSource}, no database: coverage and gaps, the 95th
 * percentile over the slots with data only, customers adding their labels up slot by slot, labels
 * on several hosts, and exports that agree with reports.
 */
class BillingOverMemoryTest {

    private static final BillingCycle CYCLE = BillingCycle.calendarMonthsUtc();
    private static final BillingPeriod OCTOBER = CYCLE.period("2026-10");
    private static final Instant OCT1 = OCTOBER.start();
    private static final Instant AFTER = Instant.parse("2026-11-20T00:00:00Z");
    private static final int MONTH_SLOTS = 31 * 288;

    private static Instant slot(int i) {
        return OCT1.plus(SlotGrid.LENGTH.multipliedBy(i));
    }

    private static BillingReport report(UsageSource source, CustomerMapping mapping, ReportQuery q) {
        return new BillingReports(source, CYCLE, mapping, Clock.fixed(AFTER, ZoneOffset.UTC)).report(q);
    }

    private static BillingReport.LabelLine line(BillingReport r, String name) {
        return r.labels().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    private static double bps(long bytesPerSlot) {
        return bytesPerSlot * 8.0 / 300;
    }

    @Test
    void aGapInThePollsLowersTheCoverageIsListedAndMakesTheMonthIncomplete() {
        Instant gapStart = Instant.parse("2026-10-10T00:00:00Z");
        Instant gapEnd = Instant.parse("2026-10-10T06:00:00Z");
        MemoryUsageSource src = new MemoryUsageSource().polls("fw1", OCT1, gapStart).polls("fw1", gapEnd, OCTOBER.end())
                .row("fw1", "web", slot(0), 1, 2, 3_000, 4_000);

        BillingReport r = report(src, CustomerMapping.empty(), ReportQuery.of(OCTOBER));
        Coverage expected = new Coverage(MONTH_SLOTS - 72, MONTH_SLOTS, List.of(new Coverage.Gap(gapStart, gapEnd)));
        assertThat(r.coverage()).isEqualTo(expected);
        assertThat(line(r, "web").coverage()).isEqualTo(expected);
        assertThat(r.ended()).isTrue();
        assertThat(r.complete()).isFalse();
        assertThat(line(r, "web").usage()).isEqualTo(new Usage(3_000, 4_000, 1, 2, 0, 0, bps(3_000), bps(4_000)));
        // one report, one consistent read
        assertThat(src.reads()).isEqualTo(1);

        // a gap no longer than the threshold is not listed, but still counts
        BillingReport tolerant = report(src, CustomerMapping.empty(), ReportQuery.of(OCTOBER).withGapThreshold(Duration.ofHours(6)));
        assertThat(tolerant.coverage()).isEqualTo(new Coverage(MONTH_SLOTS - 72, MONTH_SLOTS, List.of()));
        assertThat(tolerant.complete()).isFalse();

        // polled throughout: complete
        MemoryUsageSource full = new MemoryUsageSource().polls("fw1", OCT1, OCTOBER.end()).label("fw1", "web");
        assertThat(report(full, CustomerMapping.empty(), ReportQuery.of(OCTOBER)).complete()).isTrue();
    }

    @Test
    void theNinetyFifthPercentileIsTakenOverTheSlotsWithDataOnly() {
        // polled in the first 100 slots only, 1 kB .. 100 kB: the top 5 are discarded, 95 kB billed;
        // counting the 8,828 slots nobody polled as zeros would bill 0
        MemoryUsageSource src = new MemoryUsageSource().polls("fw1", OCT1, slot(100));
        long sum = 0;
        for (int i = 0; i < 100; i++) {
            src.row("fw1", "web", slot(i), i, 0, 1_000L * (i + 1), 10L * (i + 1));
            sum += 1_000L * (i + 1);
        }
        BillingReport.LabelLine web = line(report(src, CustomerMapping.empty(), ReportQuery.of(OCTOBER)), "web");
        assertThat(web.coverage().polledSlots()).isEqualTo(100);
        assertThat(web.coverage().gaps()).containsExactly(new Coverage.Gap(slot(100), OCTOBER.end()));
        assertThat(web.usage().bytesIn()).isEqualTo(sum);
        assertThat(web.usage().packetsIn()).isEqualTo(99 * 100 / 2);
        assertThat(web.usage().p95InBps()).isEqualTo(bps(95_000));
        assertThat(web.usage().p95OutBps()).isEqualTo(bps(950));
        assertThat(web.usage().peakInBps()).isEqualTo(bps(100_000));
    }

    @Test
    void aCustomerAddsItsLabelsUpSlotBySlotBeforeThePercentile() {
        // a rises while b falls: each alone bills 940 B a slot, together they are a flat 990
        MemoryUsageSource src = new MemoryUsageSource().polls("fw1", OCT1, slot(100)).label("fw1", "other");
        for (int i = 0; i < 100; i++) {
            src.row("fw1", "shop:a", slot(i), 0, 0, 10L * i, 0);
            src.row("fw1", "shop:b", slot(i), 0, 0, 10L * (99 - i), 0);
        }
        CustomerMapping mapping = CustomerMapping.parse("Shop = glob:shop:*\n", "test");
        BillingReport r = report(src, mapping, ReportQuery.of(OCTOBER));

        assertThat(line(r, "shop:a").usage().p95InBps()).isEqualTo(bps(940));
        assertThat(line(r, "shop:b").usage().p95InBps()).isEqualTo(bps(940));
        assertThat(r.customers()).hasSize(1);
        BillingReport.CustomerLine shop = r.customers().get(0);
        assertThat(shop.customer()).isEqualTo("Shop");
        assertThat(shop.labels()).extracting(Object::toString).containsExactly("shop:a", "shop:b");
        assertThat(shop.usage().p95InBps()).isEqualTo(bps(990));
        assertThat(shop.usage().peakInBps()).isEqualTo(bps(990));
        assertThat(shop.usage().bytesIn()).isEqualTo(2 * 10L * (99 * 100 / 2));
        assertThat(shop.coverage().polledSlots()).isEqualTo(100);
        assertThat(r.unassigned()).extracting(Object::toString).containsExactly("other");

        // the export of the customer is the same sum, slot by slot
        UsageExport.Samples samples = new UsageExport(src, mapping, Clock.fixed(AFTER, ZoneOffset.UTC))
                .forCustomer(OCTOBER, Optional.empty(), "Shop");
        assertThat(samples.samples()).hasSize(MONTH_SLOTS);
        assertThat(samples.samples().subList(0, 100)).allSatisfy(s -> {
            assertThat(s.bytesIn()).isEqualTo(990);
            assertThat(s.hasData()).isTrue();
        });
        assertThat(samples.samples().get(100).hasData()).isFalse();
        assertThat(samples.coverage(ReportQuery.DEFAULT_GAP_THRESHOLD)).isEqualTo(shop.coverage());
    }

    @Test
    void aLabelOnSeveralHostsAddsThemUpAndHasDataWhereEveryOneOfThemWasPolled() {
        // fw1 polled in the first 100 slots, fw2 in the first 50 only: web's slots 50..99 lack fw2's share
        MemoryUsageSource src = new MemoryUsageSource().polls("fw1", OCT1, slot(100)).polls("fw2", OCT1, slot(50))
                .label("fw1", "only1");
        for (int i = 0; i < 100; i++) {
            src.row("fw1", "web", slot(i), 1, 0, 100, 0);
            if (i < 50) {
                src.row("fw2", "web", slot(i), 2, 0, 200, 0);
            }
        }
        BillingReport r = report(src, CustomerMapping.empty(), ReportQuery.of(OCTOBER));
        BillingReport.LabelLine web = line(r, "web");
        assertThat(web.hosts()).containsExactly("fw1", "fw2");
        assertThat(web.usage().bytesIn()).isEqualTo(100 * 100 + 50 * 200);
        assertThat(web.usage().packetsIn()).isEqualTo(100 + 50 * 2);
        assertThat(web.coverage().polledSlots()).isEqualTo(50);
        // every one of the 50 slots with data of both hosts carries 300 B
        assertThat(web.usage().p95InBps()).isEqualTo(bps(300));
        assertThat(line(r, "only1").coverage().polledSlots()).isEqualTo(100);
        assertThat(r.hosts()).containsExactly("fw1", "fw2");

        BillingReport fw1 = report(src, CustomerMapping.empty(), ReportQuery.of(OCTOBER).withHost("fw1"));
        assertThat(line(fw1, "web").hosts()).containsExactly("fw1");
        assertThat(line(fw1, "web").usage().bytesIn()).isEqualTo(100 * 100);
        assertThat(line(fw1, "web").coverage().polledSlots()).isEqualTo(100);
        BillingReport fw2 = report(src, CustomerMapping.empty(), ReportQuery.of(OCTOBER).withHost("fw2"));
        assertThat(fw2.labels()).extracting(BillingReport.LabelLine::name).containsExactly("web");
        assertThat(line(fw2, "web").usage().bytesIn()).isEqualTo(50 * 200);
    }

    @Test
    void aRowInASlotNobodyPolledStillCountsAsData() {
        // a database older than migration V4 knows its polls only from its rows
        MemoryUsageSource src = new MemoryUsageSource().poll("fw1", OCT1.plusSeconds(10))
                .row("fw1", "web", slot(5), 0, 0, 700, 0);
        BillingReport.LabelLine web = line(report(src, CustomerMapping.empty(), ReportQuery.of(OCTOBER)), "web");
        assertThat(web.coverage().polledSlots()).isEqualTo(2);
        assertThat(web.usage().p95InBps()).isEqualTo(bps(700));
    }

    @Test
    void aMonthBeforeTheFirstPollIsAnErrorAndAnUnknownLabelIsNamed() {
        MemoryUsageSource src = new MemoryUsageSource().polls("fw1", OCT1, slot(10)).label("fw1", "web");
        assertThatThrownBy(() -> report(src, CustomerMapping.empty(), ReportQuery.of(CYCLE.period("2026-09"))))
                .isInstanceOf(NoDataException.class).hasMessageContaining("2026-10");
        assertThatThrownBy(() -> report(src, CustomerMapping.empty(), ReportQuery.of(OCTOBER).withLabels(List.of("mail"))))
                .isInstanceOf(UnknownLabelException.class).hasMessageContaining("mail");
    }
}
