package org.pfmeter.accounting.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The resolution the ledger books deltas in: 5-minute buckets aligned to UTC ({@code usage_5m}).
 * Until schema v5 there were hourly and daily rollups too; no code read them, and the daily sums
 * are in the sealed days ({@code usage_5m_day}) now.
 *
 * <p>A bucket covers {@code (start, start + length]} for booking: a delta covers the time since the
 * previous poll and lands in the bucket its poll's time falls in, and a poll exactly on a boundary
 * closes the bucket that ends there. A delta spanning several buckets (a long gap between polls)
 * lands whole in the bucket of the poll that read it. The 5-minute buckets are the slots of
 * {@link SlotGrid}.
 */
public enum UsageLevel {
    FIVE_MINUTES("usage_5m", SlotGrid.LENGTH);

    private final String table;
    private final Duration length;
    private final long nanos;

    UsageLevel(String table, Duration length) {
        this.table = table;
        this.length = length;
        this.nanos = length.toNanos();
    }

    public String table() {
        return table;
    }

    public Duration length() {
        return length;
    }

    /** "5m": the name used in config keys (accounting.retention.5m). */
    public String configName() {
        return table.substring(table.indexOf('_') + 1).toLowerCase(Locale.ROOT);
    }

    /** The start of the bucket a poll at {@code pollTime} is booked in. */
    public Instant bucketOf(Instant pollTime) {
        // (start, end]: subtract one nanosecond so that a poll on the boundary closes the earlier bucket
        long secs = pollTime.getEpochSecond();
        long lenSecs = length.getSeconds();
        long dayBase = Math.floorDiv(secs, lenSecs) * lenSecs;
        long offsetNanos = (secs - dayBase) * 1_000_000_000L + pollTime.getNano() - 1;
        long start = dayBase + Math.floorDiv(offsetNanos, nanos) * lenSecs;
        return Instant.ofEpochSecond(start);
    }

    /** The start of the bucket that contains {@code t} in the ordinary [start, end) sense. */
    public Instant floor(Instant t) {
        long lenSecs = length.getSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), lenSecs) * lenSecs);
    }

    public static UsageLevel parse(String s) {
        for (UsageLevel l : values()) {
            if (l.configName().equalsIgnoreCase(s) || l.name().equalsIgnoreCase(s)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown usage level '" + s + "'; known: 5m");
    }
}
