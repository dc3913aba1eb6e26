package org.pfmeter.accounting.billing;

import java.util.Arrays;
import org.pfmeter.accounting.store.SlotGrid;

/**
 * The 95th percentile as transit billing defines it: take one sample per 5-minute slot of the
 * period that has data, a polled slot without traffic being a sample of 0 and a slot nobody polled
 * no sample at all (see {@link Coverage}); sort them; discard the highest 5 % (rounded
 * down: {@code floor(n * 5 / 100)} samples); the highest remaining sample is the 95th percentile.
 * That is the sample at index {@code n − 1 − floor(n / 20)} of the ascending order, which equals
 * {@code ceil(0.95 n) − 1}. For a wholly polled 30-day month (8640 slots) the top 432 are discarded
 * and index 8207 is billed. With fewer than 20 slots nothing is discarded: the percentile is the peak.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /** The index rule above, for {@code n ≥ 1} samples. */
    public static int index95(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("no samples");
        }
        return n - 1 - n / 20;
    }

    /**
     * The 95th percentile of {@code slots} samples of which only {@code nonZero} are given (in any
     * order; the other slots are 0). Returns 0 for no slots.
     */
    public static long p95(long[] nonZero, int slots) {
        if (slots == 0) {
            return 0;
        }
        if (nonZero.length > slots) {
            throw new IllegalArgumentException(nonZero.length + " samples for " + slots + " slots");
        }
        long[] sorted = nonZero.clone();
        Arrays.sort(sorted);
        int i = index95(slots);
        int zeros = slots - sorted.length;
        return i < zeros ? 0 : sorted[i - zeros];
    }

    /** Bytes moved in one 5-minute slot as a rate in bits per second: {@code bytes * 8 /} {@link SlotGrid#SECONDS}. */
    public static double bitsPerSecond(long bytesPerSlot) {
        return bytesPerSlot * 8.0 / SlotGrid.SECONDS;
    }
}
