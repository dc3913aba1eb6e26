package org.pfmeter.accounting.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pfmeter.accounting.store.DaySlots;
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.pf.model.LabelKey;

/**
 * A sealed day handed over whole ({@link UsageSource.LabelSink#rows}, decoded column by column)
 * gives the same series, usage and rows as the same day handed over slot by slot, as reports read
 * sealed days before: for months in UTC and in a zone whose months start and end inside UTC days and
 * hold the 23- and 25-hour days of summer time, for empty days, the first and last slot of a day,
 * and counters above 2^63.
 */
class SlotRowsTest {

    private static final LabelKey WEB = new LabelKey("", "web");

    @Test
    void aWholeDayAddsUpAsItsSlotsDoInUtcAndAcrossSummerTime() {
        for (BillingPeriod p : List.of(
                BillingCycle.calendarMonthsUtc().period("2026-10"),
                BillingCycle.of("1", "Europe/Berlin").period("2026-03"),       // ends a day after the 23-hour day
                BillingCycle.of("1", "Europe/Berlin").period("2026-10"),       // holds the 25-hour day, ends at 23:00 UTC
                BillingCycle.of("25", "America/St_Johns").period("2026-10"))) { // half-hour offsets, mid-month
            Random r = new Random(p.hashCode());
            List<Day> days = new ArrayList<>();
            for (Instant d = DaySlots.dayOf(p.start()); d.isBefore(p.end()); d = d.plus(DaySlots.DAY)) {
                for (String host : List.of("fw1", "fw2")) {
                    days.add(new Day(host, d, randomDay(d, r)));
                }
            }
            assertSameBothWays(p, days);
        }
    }

    @Test
    void edgesEmptyDaysFirstAndLastSlotsAndCountersAbove2To63() {
        BillingPeriod p = BillingCycle.of("1", "Europe/Berlin").period("2026-10");
        Instant first = DaySlots.dayOf(p.start());                 // 30 September: only its last 2 hours are in the month
        Instant last = DaySlots.dayOf(p.end());                    // 31 October: all but its last hour
        List<Day> days = new ArrayList<>();
        days.add(new Day("fw1", first, new DaySlots()));           // no row at all
        DaySlots edges = new DaySlots();
        edges.add(first, first, 1, 1, 1, 1);                       // slot 0: before the month
        edges.add(first, first.plusSeconds(264 * 300), -1, Long.MIN_VALUE, 0x8000_0000_0000_0001L, -2);   // 22:00, the month's first slot
        edges.add(first, first.plusSeconds(287 * 300), 0, 0, 0, 0);     // the last slot, nothing moved
        days.add(new Day("fw2", first, edges));
        DaySlots end = new DaySlots();
        end.add(last, last.plusSeconds(275 * 300), 5, 5, -5, 5);   // 22:55, the month's last slot
        end.add(last, last.plusSeconds(276 * 300), 7, 7, 7, 7);   // 23:00, the next month's
        end.add(last, last.plusSeconds(287 * 300), 9, 9, 9, 9);
        days.add(new Day("fw1", last, end));
        Slots both = assertSameBothWays(p, days);
        assertThat(both.series.value(0, 2)).isEqualTo(0x8000_0000_0000_0001L);
        assertThat(both.series.value(both.series.slots() - 1, 2)).isEqualTo(-5);
        assertThat(both.series.rows("fw2").stream().toArray()).containsExactly(0, 23);
        assertThat(both.series.rows("fw1").stream().toArray()).containsExactly(both.series.slots() - 1);
    }

    @Test
    void rowsOutsideTheSeriesAreRefusedAsSlotsAre() {
        BillingPeriod p = BillingCycle.calendarMonthsUtc().period("2026-10");
        SlotData.Series s = new SlotData.Series(p.start(), p.end());
        SlotRows rows = new SlotRows(4);
        rows.reset(p.end().getEpochSecond());
        rows.slots()[0] = 0;
        rows.size(1);
        assertThatThrownBy(() -> s.add("fw1", rows)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2026-11-01T00:00:00Z");
        rows.reset(p.start().getEpochSecond() + 1);
        rows.size(1);
        assertThatThrownBy(() -> s.add("fw1", rows)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not one of the");
    }

    private record Day(String host, Instant day, DaySlots slots) {
    }

    private record Slots(SlotData.Series series, Usage usage) {
    }

    /** Feeds the days through both paths, as the store reads sealed days; asserts they agree; returns one. */
    private static Slots assertSameBothWays(BillingPeriod p, List<Day> days) {
        long lo = p.start().getEpochSecond();
        long hi = p.end().getEpochSecond();
        List<SlotData.Series> got = new ArrayList<>();
        // whole days, as SqlUsageSource hands them over now
        UsageSource.LabelSink whole = SlotData.collect(p.start(), p.end(), (k, s) -> got.add(s));
        SlotRows rows = new SlotRows(DaySlots.SLOTS_PER_DAY);
        whole.start(WEB);
        for (Day d : days) {
            DaySlots.decode(d.slots().encode(), d, d.day().getEpochSecond(), rows);
            rows.keep(lo, hi);
            whole.rows(d.host(), rows);
        }
        whole.end(WEB);
        // slot by slot, as it read them before
        UsageSource.LabelSink bySlot = SlotData.collect(p.start(), p.end(), (k, s) -> got.add(s));
        bySlot.start(WEB);
        for (Day d : days) {
            long day = d.day().getEpochSecond();
            DaySlots.decode(d.slots().encode(), d, (i, pin, pout, bin, bout) -> {
                long at = SlotGrid.start(day, i);
                if (at >= lo && at < hi) {
                    bySlot.slot(d.host(), at, pin, pout, bin, bout);
                }
            });
        }
        bySlot.end(WEB);
        // the sink's default for rows, as an in-memory source gets it
        UsageSource.LabelSink collect = SlotData.collect(p.start(), p.end(), (k, s) -> got.add(s));
        UsageSource.LabelSink byDefault = new UsageSource.LabelSink() {
            @Override
            public void start(LabelKey key) {
                collect.start(key);
            }

            @Override
            public void slot(String host, long slotStart, long pin, long pout, long bin, long bout) {
                collect.slot(host, slotStart, pin, pout, bin, bout);
            }

            @Override
            public void end(LabelKey key) {
                collect.end(key);
            }
        };
        byDefault.start(WEB);
        for (Day d : days) {
            DaySlots.decode(d.slots().encode(), d, d.day().getEpochSecond(), rows);
            rows.keep(lo, hi);
            byDefault.rows(d.host(), rows);
        }
        byDefault.end(WEB);

        SlotData.Series a = got.get(0);
        int n = a.slots();
        assertThat(n).isEqualTo(SlotGrid.count(p.start(), p.end()));
        for (SlotData.Series b : got.subList(1, 3)) {
            assertThat(b.hosts).isEqualTo(a.hosts);
            for (String h : List.of("fw1", "fw2", "fw3")) {
                assertThat(b.rows(h)).as(p + " rows of " + h).isEqualTo(a.rows(h));
            }
            for (int i = 0; i < n; i++) {
                for (int w = 0; w < 4; w++) {
                    assertThat(b.value(i, w)).as(p + " slot " + i + " counter " + w).isEqualTo(a.value(i, w));
                }
            }
            assertThat(b.usage(n)).isEqualTo(a.usage(n));
        }
        return new Slots(a, a.usage(n));
    }

    /** A day with most slots, some missing, counters of every size. */
    private static DaySlots randomDay(Instant day, Random r) {
        DaySlots d = new DaySlots();
        for (int i = 0; i < DaySlots.SLOTS_PER_DAY; i++) {
            if (r.nextInt(10) == 0) {
                continue;
            }
            int bits = r.nextInt(65);
            long mask = bits == 64 ? -1L : (1L << bits) - 1;
            d.add(day, day.plusSeconds(300L * i), r.nextLong() & mask >>> 8, r.nextLong() & mask >>> 8, r.nextLong() & mask,
                    r.nextInt(3) == 0 ? 0 : r.nextLong() & mask);
        }
        return d;
    }
}
