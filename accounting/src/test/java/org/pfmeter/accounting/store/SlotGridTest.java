package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlotGridTest {

    private static final Instant T1000 = Instant.parse("2026-10-01T10:00:00Z");
    private static final Instant T1005 = Instant.parse("2026-10-01T10:05:00Z");

    private static long s(String t) {
        return Instant.parse(t).getEpochSecond();
    }

    @Test
    void slotsAreFiveMinutes() {
        assertThat(SlotGrid.LENGTH).isEqualTo(Duration.ofMinutes(5));
        assertThat(SlotGrid.SECONDS).isEqualTo(300);
        assertThat(UsageLevel.FIVE_MINUTES.length()).isEqualTo(SlotGrid.LENGTH);
    }

    @Test
    void aPollOnAGridPointBelongsToTheSlotThatEndsThere() {
        assertThat(SlotGrid.slotOf(T1005)).isEqualTo(T1000);
        assertThat(SlotGrid.slotOf(T1005.plusNanos(1))).isEqualTo(T1005);
        assertThat(SlotGrid.slotOf(T1000.plusNanos(1))).isEqualTo(T1000);
        assertThat(SlotGrid.slotOf(Instant.parse("2026-10-01T10:07:31Z"))).isEqualTo(T1005);
        assertThat(SlotGrid.slotOf(Instant.parse("2026-10-02T00:00:00Z"))).isEqualTo(Instant.parse("2026-10-01T23:55:00Z"));
        assertThat(SlotGrid.end(T1000)).isEqualTo(T1005);
    }

    @Test
    void floorAndCeilKeepGridPointsAndRoundOthersDownAndUp() {
        assertThat(SlotGrid.floor(T1005)).isEqualTo(s("2026-10-01T10:05:00Z"));
        assertThat(SlotGrid.ceil(T1005)).isEqualTo(s("2026-10-01T10:05:00Z"));
        assertThat(SlotGrid.floor(T1005.plusNanos(1))).isEqualTo(s("2026-10-01T10:05:00Z"));
        assertThat(SlotGrid.ceil(T1005.plusNanos(1))).isEqualTo(s("2026-10-01T10:10:00Z"));
        assertThat(SlotGrid.floor(T1005.minusNanos(1))).isEqualTo(s("2026-10-01T10:00:00Z"));
        assertThat(SlotGrid.ceil(T1005.minusNanos(1))).isEqualTo(s("2026-10-01T10:05:00Z"));
        // before the epoch the grid still rounds toward minus and plus infinity
        assertThat(SlotGrid.floor(Instant.ofEpochSecond(-1))).isEqualTo(-300);
        assertThat(SlotGrid.ceil(Instant.ofEpochSecond(-1))).isEqualTo(0);
    }

    @Test
    void aRangeCountsTheSlotStartsItHolds() {
        assertThat(SlotGrid.count(T1000, T1005)).isEqualTo(1);
        assertThat(SlotGrid.count(T1000, T1005.plusNanos(1))).isEqualTo(2);
        assertThat(SlotGrid.count(T1000.plusNanos(1), T1005)).isZero();
        assertThat(SlotGrid.count(T1000, T1000)).isZero();
        assertThat(SlotGrid.count(T1005, T1000)).isZero();
        assertThat(SlotGrid.count(T1000, T1000.plus(Duration.ofDays(1)))).isEqualTo(288);
        assertThat(SlotGrid.count(Instant.parse("2026-10-31T23:00:00Z"), Instant.parse("2026-11-30T23:00:00Z")))
                .isEqualTo(30 * 288);
    }

    @Test
    void slotIndexWithinARange() {
        long first = T1000.getEpochSecond();
        assertThat(SlotGrid.start(first, 0)).isEqualTo(first);
        assertThat(SlotGrid.start(first, 3)).isEqualTo(first + 900);
        assertThat(SlotGrid.indexOf(first, 4, first)).isZero();
        assertThat(SlotGrid.indexOf(first, 4, first + 900)).isEqualTo(3);
        assertThat(SlotGrid.indexOf(first, 4, first + 1200)).as("past the range").isEqualTo(-1);
        assertThat(SlotGrid.indexOf(first, 4, first - 300)).as("before the range").isEqualTo(-1);
        assertThat(SlotGrid.indexOf(first, 4, first + 60)).as("off the grid").isEqualTo(-1);
    }
}
