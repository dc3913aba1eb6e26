package org.pfmeter.accounting.store;

import java.util.Locale;

/**
 * What a series of the ledger counts (migration V6, {@code series.kind}): a rule label, a table's
 * own counters, or one entry of a table with per-address counters. Readers of labels (billing,
 * usage exports) select {@link #LABEL} only.
 */
public enum SeriesKind {
    /** A rule label: {@code anchor} and {@code label}; {@code table_name} is "". */
    LABEL,
    /** A table's counters ({@code pfrts_packets}, {@code pfrts_bytes}): {@code anchor} and {@code table_name}; {@code label} is "". */
    TABLE,
    /** One entry of a table ({@code pfras_packets}, {@code pfras_bytes}): {@code label} is the entry as pfctl prints it. */
    ADDRESS;

    /** As stored in {@code series.kind}: "label", "table", "address". */
    public String sql() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalStateException for a value this pfmeter does not know (a newer schema's) */
    public static SeriesKind ofSql(String s) {
        for (SeriesKind k : values()) {
            if (k.sql().equals(s)) {
                return k;
            }
        }
        throw new IllegalStateException("series kind '" + s + "' is not one this pfmeter knows (label, table, address)");
    }
}
