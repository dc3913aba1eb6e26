package org.pfmeter.accounting.store;

import java.time.Duration;
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
 * {@link SlotGrid}, which books and counts them ({@link SlotGrid#slotOf}); this enum names the level
 * for retention and its config key.
 */
public enum UsageLevel {
    FIVE_MINUTES("usage_5m", SlotGrid.LENGTH);

    private final String table;
    private final Duration length;

    UsageLevel(String table, Duration length) {
        this.table = table;
        this.length = length;
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

    public static UsageLevel parse(String s) {
        for (UsageLevel l : values()) {
            if (l.configName().equalsIgnoreCase(s) || l.name().equalsIgnoreCase(s)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown usage level '" + s + "'; known: 5m");
    }
}
