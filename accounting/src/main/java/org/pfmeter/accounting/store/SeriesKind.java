package org.pfmeter.accounting.store;

import java.util.Locale;
import java.util.Optional;
import org.pfmeter.pf.model.TableAction;

/**
 * What a series of the ledger counts ({@code series.kind}; migrations V6 and V10): a rule label, a
 * table's own counters, or one entry of a table with per-address counters; for tables and entries
 * either the sum over pf's actions ({@link #TABLE}, {@link #ADDRESS}, the only kinds before V10) or
 * one action's counters ({@code table-pass}, {@code address-block}, …: pf's
 * {@code pfrts_packets[dir][op]} and {@code pfras_packets[dir][op]} for one {@code op}). Readers of
 * labels (billing, usage exports) select {@link #LABEL} only.
 */
public enum SeriesKind {
    /** A rule label: {@code anchor} and {@code label}; {@code table_name} is "". */
    LABEL(null),
    /** A table's counters summed over block, match, pass and xpass: {@code anchor} and {@code table_name}; {@code label} is "". */
    TABLE(null),
    /** One entry of a table, summed over block, match and pass: {@code label} is the entry as pfctl prints it. */
    ADDRESS(null),
    /** A table's {@code PFR_OP_BLOCK} counters (In/Block, Out/Block of {@code pfctl -T show -v}). */
    TABLE_BLOCK(TableAction.BLOCK),
    /** A table's {@code PFR_OP_MATCH} counters. */
    TABLE_MATCH(TableAction.MATCH),
    /** A table's {@code PFR_OP_PASS} counters. */
    TABLE_PASS(TableAction.PASS),
    /** A table's {@code PFR_OP_XPASS} counters: passed for an address the table no longer (or never) held. */
    TABLE_XPASS(TableAction.XPASS),
    /** An entry's {@code PFR_OP_BLOCK} counters. */
    ADDRESS_BLOCK(TableAction.BLOCK),
    /** An entry's {@code PFR_OP_MATCH} counters. */
    ADDRESS_MATCH(TableAction.MATCH),
    /** An entry's {@code PFR_OP_PASS} counters. */
    ADDRESS_PASS(TableAction.PASS);

    private final TableAction action;

    SeriesKind(TableAction action) {
        this.action = action;
    }

    /** As stored in {@code series.kind}: "label", "table", "address", "table-pass", "address-block", …. */
    public String sql() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A table's own counters, summed or of one action. */
    public boolean isTable() {
        return this == TABLE || name().startsWith("TABLE_");
    }

    /** An entry of a table, summed or of one action. */
    public boolean isAddress() {
        return this == ADDRESS || name().startsWith("ADDRESS_");
    }

    /** The one action this kind counts; empty for a label and for the sums {@link #TABLE} and {@link #ADDRESS}. */
    public Optional<TableAction> action() {
        return Optional.ofNullable(action);
    }

    /** A table's counters of one action. */
    public static SeriesKind table(TableAction op) {
        return switch (op) {
            case BLOCK -> TABLE_BLOCK;
            case MATCH -> TABLE_MATCH;
            case PASS -> TABLE_PASS;
            case XPASS -> TABLE_XPASS;
        };
    }

    /** An entry's counters of one action. @throws IllegalArgumentException for xpass, which pf never counts on an entry */
    public static SeriesKind address(TableAction op) {
        return switch (op) {
            case BLOCK -> ADDRESS_BLOCK;
            case MATCH -> ADDRESS_MATCH;
            case PASS -> ADDRESS_PASS;
            case XPASS -> throw new IllegalArgumentException("pf counts no xpass on a table entry (PFR_OP_ADDR_MAX = 3)");
        };
    }

    /** @throws IllegalStateException for a value this pfmeter does not know (a newer schema's) */
    public static SeriesKind ofSql(String s) {
        for (SeriesKind k : values()) {
            if (k.sql().equals(s)) {
                return k;
            }
        }
        throw new IllegalStateException("series kind '" + s + "' is not one this pfmeter knows (label, table, address, "
                + "table-block, table-match, table-pass, table-xpass, address-block, address-match, address-pass)");
    }
}
