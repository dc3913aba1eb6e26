package org.pfmeter.accounting.store;

import java.time.Duration;
import java.time.Instant;

/**
 * The 5-minute grid, aligned to UTC, that the ledger books polls in and billing samples: grid points
 * are the epoch seconds divisible by {@link #SECONDS}. The ledger ({@code usage_5m}, the sealed
 * days, {@code host_poll_slot}) and billing (percentiles, coverage, exports) all count slots here,
 * so "the slot a poll is booked in" and "the slot a report samples" are the same slot.
 *
 * <p>Booking: a poll at {@code t} belongs to the slot {@code (start, start + 5 min]}, so a poll
 * exactly on a grid point closes the slot that ends there (its delta covers the time before it).
 * Counting: a range {@code [from, to)} holds the slots whose start (a grid point) lies in it.
 */
public final class SlotGrid {

    /** The length of a slot in seconds. */
    public static final long SECONDS = 300;
    /** The length of a slot. */
    public static final Duration LENGTH = Duration.ofSeconds(SECONDS);

    private SlotGrid() {
    }

    /** The start of the slot a poll at {@code pollTime} is booked in: {@code pollTime} lies in {@code (start, start + 5 min]}. */
    public static Instant slotOf(Instant pollTime) {
        // subtract one nanosecond so that a poll on a grid point closes the slot that ends there
        return Instant.ofEpochSecond(floor(pollTime.minusNanos(1)));
    }

    /** The last grid point at or before {@code t}, in epoch seconds. */
    public static long floor(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), SECONDS) * SECONDS;
    }

    /** The first grid point at or after {@code t}, in epoch seconds. */
    public static long ceil(Instant t) {
        long s = t.getEpochSecond() + (t.getNano() > 0 ? 1 : 0);
        return Math.floorDiv(s + SECONDS - 1, SECONDS) * SECONDS;
    }

    /** How many grid points (slot starts) lie in {@code [from, to)}. */
    public static int count(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return 0;
        }
        return (int) ((ceil(to) - ceil(from)) / SECONDS);
    }

    /** The start (epoch seconds) of slot {@code i} of a range whose first slot starts at {@code first}. */
    public static long start(long first, int i) {
        return first + i * SECONDS;
    }

    /** The end of the slot that starts at {@code slotStart}. */
    public static Instant end(Instant slotStart) {
        return slotStart.plus(LENGTH);
    }

    /**
     * The index of the slot starting at {@code slot} among the {@code slots} slots from {@code first}
     * (all epoch seconds), or -1 when {@code slot} is off the grid or outside that range.
     */
    public static int indexOf(long first, int slots, long slot) {
        long d = slot - first;
        if (d < 0 || d % SECONDS != 0 || d / SECONDS >= slots) {
            return -1;
        }
        return (int) (d / SECONDS);
    }
}
