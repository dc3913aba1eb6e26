package org.pfmeter.exporter.show;

import java.util.List;
import java.util.Map;
import org.pfmeter.pf.model.StateTableBreakdown;
import org.pfmeter.pf.model.StateTableBreakdown.AddressCount;
import org.pfmeter.pf.model.StateTableBreakdown.TopAddresses;

/**
 * {@code pfmeter show states}: the state-table breakdown in the layout of {@code pfctl -si}'s
 * sections (a title, then "%-25s %14s" rows), largest first within each section.
 */
public final class StatesText {

    private StatesText() {
    }

    public static String render(StateTableBreakdown b, int top) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-25s %14s%n", "State Table", "Total"));
        row(sb, "current entries", b.states());
        row(sb, "unattributed", b.unattributed());
        section(sb, "States by label", b.byLabel().entrySet().stream()
                .map(e -> Map.entry(Vis.vis(e.getKey().anchor().isEmpty() ? quote(e.getKey().label()) : e.getKey().anchor() + ":"
                        + quote(e.getKey().label())), e.getValue())).toList(), top);
        section(sb, "States by interface", b.byInterface().entrySet().stream()
                .map(e -> Map.entry(Vis.vis(e.getKey()), e.getValue())).toList(), top);
        section(sb, "States by protocol", b.byProtocol().entrySet().stream()
                .map(e -> Map.entry(e.getKey().protocol() + " " + e.getKey().family(), e.getValue())).toList(), top);
        section(sb, "TCP states", b.byTcpState().entrySet().stream().toList(), top);
        sb.append(String.format("%-25s %14s%n", "States by age", ""));
        List<Long> bounds = b.age().upperBoundsSeconds();
        for (int i = 0; i <= bounds.size(); i++) {
            String name = i < bounds.size() ? "up to " + duration(bounds.get(i)) : "older";
            row(sb, name, b.age().counts().get(i));
        }
        addresses(sb, "Top sources by states", b.sources(), b.sources().byStates());
        addresses(sb, "Top sources by bytes", b.sources(), b.sources().byBytes());
        addresses(sb, "Top destinations by states", b.destinations(), b.destinations().byStates());
        addresses(sb, "Top destinations by bytes", b.destinations(), b.destinations().byBytes());
        return sb.toString();
    }

    private static String quote(String label) {
        return label.isEmpty() ? "(no label)" : label;
    }

    private static String duration(long seconds) {
        return seconds % 86_400 == 0 ? seconds / 86_400 + "d" : seconds % 3_600 == 0 ? seconds / 3_600 + "h" : seconds / 60 + "m";
    }

    private static void row(StringBuilder sb, String name, long value) {
        sb.append(String.format("  %-23s %14s%n", name, Long.toUnsignedString(value)));
    }

    private static void section(StringBuilder sb, String title, List<Map.Entry<String, Long>> rows, int top) {
        sb.append(String.format("%-25s %14s%n", title, ""));
        List<Map.Entry<String, Long>> sorted = rows.stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey())).toList();
        int shown = 0;
        long rest = 0;
        for (Map.Entry<String, Long> e : sorted) {
            if (shown++ < Math.max(top, 1) * 2) {
                row(sb, e.getKey(), e.getValue());
            } else {
                rest += e.getValue();
            }
        }
        if (rest > 0) {
            row(sb, "(" + (sorted.size() - Math.max(top, 1) * 2) + " more)", rest);
        }
    }

    private static void addresses(StringBuilder sb, String title, TopAddresses t, List<AddressCount> list) {
        sb.append(String.format("%-25s %14s %16s%n", title + (t.exact() ? "" : " (at least)"), "States", "Bytes"));
        for (AddressCount a : list) {
            sb.append(String.format("  %-23s %14d %16s%n", a.address(), a.states(), Long.toUnsignedString(a.bytes())));
        }
    }
}
