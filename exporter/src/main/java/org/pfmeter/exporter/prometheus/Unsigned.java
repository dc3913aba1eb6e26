package org.pfmeter.exporter.prometheus;

/** pf's counters are unsigned 64-bit values held in a {@code long}. */
public final class Unsigned {

    private Unsigned() {
    }

    /**
     * The unsigned value as a double: above 2^63 − 1 a {@code long} reads negative, but the counter
     * is not. Rounds to the nearest double as any conversion of a value above 2^53 does.
     */
    public static double toDouble(long v) {
        if (v >= 0) {
            return v;
        }
        // halve without losing the magnitude, convert, double again; keep the low bit for rounding
        return ((double) ((v >>> 1) | (v & 1))) * 2.0;
    }
}
