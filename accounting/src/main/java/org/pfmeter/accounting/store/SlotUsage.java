package org.pfmeter.accounting.store;

/**
 * What one label added to one 5-minute bucket: a row of {@code usage_5m}, or one poll's share of
 * it. Sums and counts are non-negative; {@code statesMax} is the largest state count a poll that
 * moved the label saw.
 *
 * @param polls  how many polls moved the label in the bucket
 * @param resets how many of them counted the current value (a reset: reload, zeroing, restart)
 */
public record SlotUsage(
        long packetsIn,
        long packetsOut,
        long bytesIn,
        long bytesOut,
        long evaluations,
        long statesCreated,
        long statesMax,
        int polls,
        int resets) {

    public SlotUsage {
        if (packetsIn < 0 || packetsOut < 0 || bytesIn < 0 || bytesOut < 0 || evaluations < 0 || statesCreated < 0
                || statesMax < 0 || polls < 0 || resets < 0) {
            throw new IllegalArgumentException("a bucket's usage is never negative: " + this);
        }
    }

    /** The two added up: sums add, {@code statesMax} is the larger. */
    public SlotUsage plus(SlotUsage o) {
        return new SlotUsage(packetsIn + o.packetsIn, packetsOut + o.packetsOut, bytesIn + o.bytesIn, bytesOut + o.bytesOut,
                evaluations + o.evaluations, statesCreated + o.statesCreated, Math.max(statesMax, o.statesMax),
                polls + o.polls, resets + o.resets);
    }
}
