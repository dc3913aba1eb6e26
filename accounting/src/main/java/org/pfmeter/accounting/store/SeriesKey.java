package org.pfmeter.accounting.store;

import java.util.Objects;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableAddress;
import org.pfmeter.pf.model.TableKey;

/**
 * The key of one series of a host (migration V6: {@code series(host, kind, anchor, table_name,
 * label)}, unique): a label, a table or a table's address, the latter two summed over pf's actions
 * or of one action (V10, {@link SeriesKind}). Unused parts are "".
 *
 * @param anchor the anchor path of the label's or the table's ruleset ("" for the main ruleset)
 * @param table  the table's name (TABLE, ADDRESS), else ""
 * @param label  the label (LABEL), the entry as pfctl prints it (ADDRESS, e.g. {@code !10.0.0.0/8}), else ""
 */
public record SeriesKey(SeriesKind kind, String anchor, String table, String label) {

    public SeriesKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(anchor, "anchor");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(label, "label");
        if (kind == SeriesKind.LABEL && !table.isEmpty()) {
            throw new IllegalArgumentException("a label series has no table, got '" + table + "'");
        }
        if (kind != SeriesKind.LABEL && table.isEmpty()) {
            throw new IllegalArgumentException("a " + kind.sql() + " series needs its table's name");
        }
        if (kind.isTable() && !label.isEmpty()) {
            throw new IllegalArgumentException("a table series has no label, got '" + label + "'");
        }
        if (kind.isAddress() && label.isEmpty()) {
            throw new IllegalArgumentException("an address series needs its address");
        }
    }

    public static SeriesKey label(LabelKey k) {
        return new SeriesKey(SeriesKind.LABEL, k.anchor(), "", k.label());
    }

    public static SeriesKey table(TableKey t) {
        return new SeriesKey(SeriesKind.TABLE, t.anchor(), t.name(), "");
    }

    public static SeriesKey address(TableKey t, TableAddress a) {
        return new SeriesKey(SeriesKind.ADDRESS, t.anchor(), t.name(), a.text());
    }

    /** A table's counters of one action. */
    public static SeriesKey tableAction(TableKey t, TableAction op) {
        return new SeriesKey(SeriesKind.table(op), t.anchor(), t.name(), "");
    }

    /** An entry's counters of one action (block, match, pass). */
    public static SeriesKey addressAction(TableKey t, TableAddress a, TableAction op) {
        return new SeriesKey(SeriesKind.address(op), t.anchor(), t.name(), a.text());
    }

    /** The same table or entry as {@code kind} (a sum or another action's); a label stays itself. */
    public SeriesKey as(SeriesKind other) {
        return new SeriesKey(other, anchor, table, label);
    }

    public boolean isLabel() {
        return kind == SeriesKind.LABEL;
    }

    /** The label's key; only for {@link SeriesKind#LABEL}. */
    public LabelKey labelKey() {
        if (kind != SeriesKind.LABEL) {
            throw new IllegalStateException(this + " is not a label");
        }
        return new LabelKey(anchor, label);
    }

    /** The table's key; only for TABLE and ADDRESS. */
    public TableKey tableKey() {
        if (kind == SeriesKind.LABEL) {
            throw new IllegalStateException(this + " is not a table's");
        }
        return new TableKey(anchor, table);
    }

    @Override
    public String toString() {
        String action = kind.action().map(a -> " (" + a.kernelName() + ")").orElse("");
        if (kind == SeriesKind.LABEL) {
            return labelKey().toString();
        }
        return kind.isTable() ? "table " + tableKey() + action : "address " + label + " of table " + tableKey() + action;
    }
}
