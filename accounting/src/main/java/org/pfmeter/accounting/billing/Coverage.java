package org.pfmeter.accounting.billing;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import org.pfmeter.accounting.store.SlotGrid;

/**
 * How much of a report's period has data: the 5-minute slots with data among the elapsed slots, and
 * the gaps (runs of slots without data) longer than the report's threshold. A slot has data when
 * every host the line depends on was polled in it, or when traffic was booked in it (see
 * accounting/README.md, "Coverage of a report").
 *
 * @param polledSlots  elapsed slots with data
 * @param elapsedSlots slots that have ended by the report's time, and the slot in progress if it
 *                     already has data; every slot of an ended period
 * @param gaps         runs of slots without data longer than the threshold, in time order
 */
public record Coverage(int polledSlots, int elapsedSlots, List<Gap> gaps) {

    /** {@code [start, end)}: the first slot without data and the start of the next slot with data (or the end). */
    public record Gap(Instant start, Instant end) {
        public Gap {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
        }

        public Duration length() {
            return Duration.between(start, end);
        }

        /** {@code 2026-10-05T00:00Z..2026-11-01T00:00Z}: the CSV and warning form. */
        @Override
        public String toString() {
            return start.atOffset(ZoneOffset.UTC) + ".." + end.atOffset(ZoneOffset.UTC);
        }
    }

    public Coverage {
        if (polledSlots < 0 || polledSlots > elapsedSlots) {
            throw new IllegalArgumentException(polledSlots + " polled of " + elapsedSlots + " elapsed slots");
        }
        gaps = List.copyOf(gaps);
    }

    /** Slots with data ÷ elapsed slots; 1 when no slot has elapsed. */
    public double ratio() {
        return elapsedSlots == 0 ? 1 : (double) polledSlots / elapsedSlots;
    }

    /** Every elapsed slot has data. */
    public boolean full() {
        return polledSlots == elapsedSlots;
    }

    /**
     * @param data      bit {@code i}: slot {@code i} of the period has data
     * @param first     the period's first slot (epoch seconds)
     * @param elapsed   how many slots count, from the first
     * @param threshold gaps this long or shorter are not listed
     */
    static Coverage of(BitSet data, long first, int elapsed, Duration threshold) {
        int polled = data.get(0, elapsed).cardinality();
        List<Gap> gaps = new ArrayList<>();
        for (int i = data.nextClearBit(0); i < elapsed; i = data.nextClearBit(i)) {
            int j = Math.min(data.nextSetBit(i) < 0 ? elapsed : data.nextSetBit(i), elapsed);
            if (SlotGrid.LENGTH.multipliedBy(j - i).compareTo(threshold) > 0) {
                gaps.add(new Gap(Instant.ofEpochSecond(SlotGrid.start(first, i)), Instant.ofEpochSecond(SlotGrid.start(first, j))));
            }
            i = j;
        }
        return new Coverage(polled, elapsed, gaps);
    }
}
