package org.pfmeter.accounting.bills;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.pfmeter.accounting.store.SeriesKind;
import org.pfmeter.pf.model.TableAction;

/**
 * Which of pf's actions a bill's {@code table} and {@code address} members count ({@code action}
 * in the bills file; labels and anchors are not concerned: a rule's counters are its own action's).
 * <ul>
 *   <li>{@code pass} (the default): what pass rules let through, PFR_OP_PASS, the In/Pass and
 *       Out/Pass lines of {@code pfctl -T show -v};</li>
 *   <li>{@code block}, {@code match}, {@code xpass}: that action's counters; several are given as a
 *       list ({@code pass, xpass}) and added up;</li>
 *   <li>{@code all}: the sum over every action, as pfmeter billed tables before schema V10 (the
 *       series {@code table} and {@code address}, booked without a break across the upgrade).</li>
 * </ul>
 *
 * @param actions the actions counted; empty for {@code all}
 */
public record BillActions(Set<TableAction> actions) {

    /** The default: pass. */
    public static final BillActions PASS = new BillActions(EnumSet.of(TableAction.PASS));
    /** Every action, from the sums. */
    public static final BillActions ALL = new BillActions(EnumSet.noneOf(TableAction.class));

    public BillActions {
        actions = actions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(actions));
    }

    /** @throws IllegalArgumentException naming the allowed values */
    public static BillActions parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("all")) {
            return ALL;
        }
        EnumSet<TableAction> s = EnumSet.noneOf(TableAction.class);
        for (String part : t.split("\\s*,\\s*", -1)) {
            TableAction found = null;
            for (TableAction a : TableAction.values()) {
                if (a.kernelName().equals(part)) {
                    found = a;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("action: '" + text + "' is not allowed; use pass, block, match, xpass,"
                        + " a list of them (pass, xpass), or all");
            }
            s.add(found);
        }
        return new BillActions(s);
    }

    public boolean isAll() {
        return actions.isEmpty();
    }

    /** True when a bill counting these actions takes series of {@code kind}: every label, and tables and entries by action. */
    public boolean selects(SeriesKind kind) {
        if (kind == SeriesKind.LABEL) {
            return true;
        }
        return kind.action().map(actions::contains).orElse(isAll());
    }

    /** As written in the bills file: "pass", "pass, xpass", "all" (in pf's order: block, match, pass, xpass). */
    public String text() {
        if (isAll()) {
            return "all";
        }
        List<TableAction> l = EnumSet.copyOf(actions).stream().toList();
        return l.stream().map(TableAction::kernelName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return text();
    }
}
