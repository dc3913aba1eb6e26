package org.pfmeter.accounting.bills;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pfmeter.accounting.billing.Csv;
import org.pfmeter.accounting.billing.Units;

/**
 * Bills and their periods as a table for people, CSV (safe against formula injection, as the
 * monthly report's: {@link Csv}) or JSON; {@code pfmeter bills} and {@code /billing/api/bills}
 * write the same.
 */
public final class BillsWriter {

    /** One bill with the periods to print, oldest first. */
    public record BillPeriods(Bill bill, List<PeriodFigures> periods) {
        public BillPeriods {
            periods = List.copyOf(periods);
        }
    }

    static final List<String> CSV_HEADER = List.of("bill", "customer", "type", "direction", "commit_bits_per_second",
            "quota_bytes", "period", "start", "end", "status", "as_of", "bytes_in", "bytes_out", "bytes_total", "packets_in",
            "packets_out", "samples", "period_intervals", "p95_bits_per_second", "overage_bits_per_second",
            "intervals_above_commit", "burst_allowance", "burst_headroom", "used_bytes", "remaining_bytes", "overage_bytes",
            "projected_used_bytes", "projected_overage_bytes");

    private BillsWriter() {
    }

    /** closed and stored, closed (not stored yet), or current. */
    public static String status(PeriodFigures f) {
        return f.stored() ? "closed" : f.closed() ? "closed-unstored" : "current";
    }

    public static void csv(List<BillPeriods> bills, Writer w) throws IOException {
        w.write(String.join(",", CSV_HEADER));
        w.write("\r\n");
        for (BillPeriods b : bills) {
            for (PeriodFigures f : b.periods()) {
                List<String> c = new ArrayList<>();
                c.add(Csv.cell(b.bill().name()));
                c.add(Csv.cell(b.bill().customer()));
                c.add(f.type().name());
                c.add(BillStore.direction(f.type()));
                c.add(f.type() instanceof BillType.Percentile95 p ? Csv.number(p.commitBitsPerSecond()) : "");
                c.add(f.type() instanceof BillType.Quota q ? Csv.number(q.quotaBytes()) : "");
                c.add(f.period());
                c.add(f.start().toString());
                c.add(f.end().toString());
                c.add(status(f));
                c.add(f.asOf().toString());
                c.add(Csv.number(f.bytesIn()));
                c.add(Csv.number(f.bytesOut()));
                c.add(Csv.number(f.bytesTotal()));
                c.add(Csv.number(f.packetsIn()));
                c.add(Csv.number(f.packetsOut()));
                c.add(Integer.toString(f.samples()));
                c.add(Integer.toString(f.periodSlots()));
                boolean p95 = f.type() instanceof BillType.Percentile95;
                c.add(p95 ? Csv.number(f.p95BitsPerSecond()) : "");
                c.add(p95 ? Csv.number(f.overageBitsPerSecond()) : "");
                c.add(p95 ? Integer.toString(f.aboveCommit()) : "");
                c.add(p95 ? Integer.toString(f.burstAllowance()) : "");
                c.add(p95 ? Integer.toString(f.burstHeadroom()) : "");
                c.add(Csv.number(f.usedBytes()));
                c.add(f.remainingBytes().isPresent() ? Csv.number(f.remainingBytes().getAsLong()) : "");
                c.add(f.overageBytes().isPresent() ? Csv.number(f.overageBytes().getAsLong()) : "");
                c.add(Csv.number(f.projectedUsedBytes()));
                c.add(f.projectedOverageBytes().isPresent() ? Csv.number(f.projectedOverageBytes().getAsLong()) : "");
                w.write(String.join(",", c));
                w.write("\r\n");
            }
        }
    }

    public static void json(List<BillPeriods> bills, Instant asOf, Writer w) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("{\"as_of\":").append(str(asOf.toString())).append(",\"bills\":[");
        for (int i = 0; i < bills.size(); i++) {
            Bill b = bills.get(i).bill();
            s.append(i == 0 ? "" : ",").append("{\"bill\":").append(str(b.name())).append(",\"customer\":").append(str(b.customer()))
                    .append(",\"type\":").append(str(b.type().name())).append(",\"direction\":").append(str(BillStore.direction(b.type())));
            if (b.type() instanceof BillType.Percentile95 p) {
                s.append(",\"commit_bits_per_second\":").append(p.commitBitsPerSecond());
            }
            if (b.type() instanceof BillType.Quota q) {
                s.append(",\"quota_bytes\":").append(q.quotaBytes());
            }
            s.append(",\"day\":").append(b.cycle().day()).append(",\"zone\":").append(str(b.cycle().zone().getId()));
            s.append(",\"action\":").append(str(b.actions().text()));
            s.append(",\"members\":[");
            for (int m = 0; m < b.members().size(); m++) {
                BillMember bm = b.members().get(m);
                s.append(m == 0 ? "" : ",").append("{\"kind\":").append(str(bm.kind().key())).append(",\"selector\":")
                        .append(str(bm.text())).append('}');
            }
            s.append("],\"periods\":[");
            List<PeriodFigures> ps = bills.get(i).periods();
            for (int j = 0; j < ps.size(); j++) {
                s.append(j == 0 ? "" : ",");
                period(ps.get(j), s);
            }
            s.append("]}");
        }
        s.append("]}\n");
        w.write(s.toString());
    }

    private static void period(PeriodFigures f, StringBuilder s) {
        s.append("{\"period\":").append(str(f.period())).append(",\"start\":").append(str(f.start().toString()))
                .append(",\"end\":").append(str(f.end().toString())).append(",\"status\":").append(str(status(f)))
                .append(",\"as_of\":").append(str(f.asOf().toString()))
                .append(",\"type\":").append(str(f.type().name())).append(",\"direction\":").append(str(BillStore.direction(f.type())));
        if (f.type() instanceof BillType.Percentile95 p) {
            s.append(",\"commit_bits_per_second\":").append(p.commitBitsPerSecond());
        }
        if (f.type() instanceof BillType.Quota q) {
            s.append(",\"quota_bytes\":").append(q.quotaBytes());
        }
        s.append(",\"bytes_in\":").append(f.bytesIn()).append(",\"bytes_out\":").append(f.bytesOut())
                .append(",\"bytes_total\":").append(f.bytesTotal()).append(",\"packets_in\":").append(f.packetsIn())
                .append(",\"packets_out\":").append(f.packetsOut()).append(",\"samples\":").append(f.samples())
                .append(",\"period_intervals\":").append(f.periodSlots());
        if (f.type() instanceof BillType.Percentile95) {
            s.append(",\"p95_bits_per_second\":").append(num(f.p95BitsPerSecond()))
                    .append(",\"overage_bits_per_second\":").append(num(f.overageBitsPerSecond()))
                    .append(",\"intervals_above_commit\":").append(f.aboveCommit())
                    .append(",\"burst_allowance\":").append(f.burstAllowance())
                    .append(",\"burst_headroom\":").append(f.burstHeadroom());
        }
        s.append(",\"used_bytes\":").append(f.usedBytes());
        f.remainingBytes().ifPresent(v -> s.append(",\"remaining_bytes\":").append(v));
        f.overageBytes().ifPresent(v -> s.append(",\"overage_bytes\":").append(v));
        s.append(",\"projected_used_bytes\":").append(f.projectedUsedBytes());
        f.projectedOverageBytes().ifPresent(v -> s.append(",\"projected_overage_bytes\":").append(v));
        s.append('}');
    }

    /** A table for a terminal: one block per bill, one line per period. */
    /** True when the bill has table or address members, whose action ({@link Bill#actions()}) matters. */
    public static boolean countsTables(Bill b) {
        return b.members().stream().anyMatch(m -> m.kind() == BillMember.Kind.TABLE || m.kind() == BillMember.Kind.ADDRESS);
    }

    public static void table(List<BillPeriods> bills, Instant asOf, Units units, Writer w) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("bills as of ").append(asOf).append('\n');
        for (BillPeriods bp : bills) {
            Bill b = bp.bill();
            s.append('\n').append("bill ").append(b.name());
            if (!b.customer().isEmpty()) {
                s.append(" (").append(b.customer()).append(')');
            }
            s.append(": ").append(describe(b.type(), units)).append(", periods from day ").append(b.cycle().day()).append(' ')
                    .append(b.cycle().zone().getId());
            if (countsTables(b)) {
                s.append(", tables and addresses: ").append(b.actions().text());
            }
            s.append('\n');
            s.append(String.format(Locale.ROOT, "  %-7s %-15s %12s %12s %12s  %s%n", "period", "status", "in", "out", "total",
                    b.type() instanceof BillType.Percentile95 ? "95th  overage  above/headroom  (projected total)"
                            : b.type() instanceof BillType.Quota ? "used  remaining  overage  (projected used, overage)"
                            : "(projected total)"));
            for (PeriodFigures f : bp.periods()) {
                s.append(String.format(Locale.ROOT, "  %-7s %-15s %12s %12s %12s  ", f.period(), status(f), units.bytes(f.bytesIn()),
                        units.bytes(f.bytesOut()), units.bytes(f.bytesTotal())));
                if (f.type() instanceof BillType.Percentile95) {
                    s.append(units.bitsPerSecond(f.p95BitsPerSecond())).append("  ").append(units.bitsPerSecond(f.overageBitsPerSecond()))
                            .append("  ").append(f.aboveCommit()).append('/').append(f.burstHeadroom());
                } else if (f.type() instanceof BillType.Quota) {
                    s.append(units.bytes(f.usedBytes())).append("  ").append(units.bytes(f.remainingBytes().getAsLong())).append("  ")
                            .append(units.bytes(f.overageBytes().getAsLong()));
                }
                if (!f.closed()) {
                    s.append("  (").append(units.bytes(f.projectedUsedBytes()));
                    f.projectedOverageBytes().ifPresent(v -> s.append(", ").append(units.bytes(v)));
                    s.append(')');
                }
                s.append('\n');
            }
        }
        w.write(s.toString());
    }

    private static String describe(BillType t, Units units) {
        if (t instanceof BillType.Percentile95 p) {
            return "95th percentile (" + p.direction().text() + "), commit " + units.bitsPerSecond(p.commitBitsPerSecond());
        }
        if (t instanceof BillType.Quota q) {
            return "quota " + units.bytes(q.quotaBytes()) + " (" + q.direction().text() + ")";
        }
        return "volume";
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String str(String v) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
