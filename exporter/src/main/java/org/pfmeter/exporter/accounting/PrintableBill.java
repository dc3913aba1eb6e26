package org.pfmeter.exporter.accounting;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.pfmeter.accounting.billing.Units;
import org.pfmeter.accounting.bills.Bill;
import org.pfmeter.accounting.bills.BillMember;
import org.pfmeter.accounting.bills.BillType;
import org.pfmeter.accounting.bills.BillsWriter;
import org.pfmeter.accounting.bills.PeriodFigures;

/**
 * One bill's closed period as a printable HTML page: server-rendered, no scripts, its CSS inline (a
 * file that is mailed or printed must stand alone), every name from the bills file escaped. The
 * figures are those of the period's CSV and JSON; exact numbers beside the ones for people.
 */
final class PrintableBill {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx", Locale.ROOT);

    private PrintableBill() {
    }

    static String html(Bill bill, PeriodFigures f, Units units) {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Bill ").append(esc(bill.name())).append(", period ").append(esc(f.period())).append("</title>\n")
                .append("<style>\n")
                .append("body{font-family:sans-serif;margin:2em;color:#000;background:#fff}\n")
                .append("table{border-collapse:collapse;margin:1em 0}\n")
                .append("th,td{border:1px solid #999;padding:.3em .6em;text-align:left;vertical-align:top}\n")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("@media print{body{margin:0}a{color:#000;text-decoration:none}}\n")
                .append("</style>\n</head>\n<body>\n");
        s.append("<h1>Bill ").append(esc(bill.name())).append("</h1>\n");
        s.append("<table>\n");
        row(s, "Customer", esc(bill.customer()));
        row(s, "Period", esc(f.period()) + ", status " + esc(BillsWriter.status(f)));
        row(s, "From", esc(LOCAL.format(ZonedDateTime.ofInstant(f.start(), bill.cycle().zone()))) + " (" + esc(f.start().toString()) + ")");
        row(s, "To", esc(LOCAL.format(ZonedDateTime.ofInstant(f.end(), bill.cycle().zone()))) + " (" + esc(f.end().toString()) + ")");
        row(s, "Type", esc(describe(f.type(), units)));
        StringBuilder m = new StringBuilder();
        for (BillMember bm : bill.members()) {
            m.append(m.length() == 0 ? "" : "<br>").append(esc(bm.kind().key())).append(' ').append(esc(bm.text()));
            if (bm.kind() == BillMember.Kind.TABLE || bm.kind() == BillMember.Kind.ADDRESS) {
                m.append(" (").append(esc(bill.actions().text())).append(')');
            }
        }
        row(s, "Members", m.toString());
        s.append("</table>\n<h2>Figures</h2>\n<table>\n<tr><th>figure</th><th>value</th><th>exact</th></tr>\n");
        figure(s, "bytes in", units.bytes(f.bytesIn()), f.bytesIn());
        figure(s, "bytes out", units.bytes(f.bytesOut()), f.bytesOut());
        figure(s, "bytes total", units.bytes(f.bytesTotal()), f.bytesTotal());
        figure(s, "packets in", Long.toString(f.packetsIn()), f.packetsIn());
        figure(s, "packets out", Long.toString(f.packetsOut()), f.packetsOut());
        figure(s, "5-minute intervals with data", f.samples() + " of " + f.periodSlots(), f.samples());
        if (f.type() instanceof BillType.Percentile95) {
            figure(s, "95th percentile", units.bitsPerSecond(f.p95BitsPerSecond()), String.format(Locale.ROOT, "%.3f bit/s", f.p95BitsPerSecond()));
            figure(s, "overage above the commit", units.bitsPerSecond(f.overageBitsPerSecond()),
                    String.format(Locale.ROOT, "%.3f bit/s", f.overageBitsPerSecond()));
            figure(s, "intervals above the commit", Integer.toString(f.aboveCommit()), f.aboveCommit());
            figure(s, "burst allowance", Integer.toString(f.burstAllowance()), f.burstAllowance());
            figure(s, "burst headroom", Integer.toString(f.burstHeadroom()), f.burstHeadroom());
        }
        if (f.type() instanceof BillType.Quota) {
            figure(s, "used", units.bytes(f.usedBytes()), f.usedBytes());
            figure(s, "remaining", units.bytes(f.remainingBytes().getAsLong()), f.remainingBytes().getAsLong());
            figure(s, "overage", units.bytes(f.overageBytes().getAsLong()), f.overageBytes().getAsLong());
        }
        s.append("</table>\n<p>Figures as stored when the period closed; they do not change.</p>\n</body>\n</html>\n");
        return s.toString();
    }

    private static void row(StringBuilder s, String name, String htmlValue) {
        s.append("<tr><th>").append(name).append("</th><td>").append(htmlValue).append("</td></tr>\n");
    }

    private static void figure(StringBuilder s, String name, String forPeople, Object exact) {
        s.append("<tr><td>").append(esc(name)).append("</td><td class=\"n\">").append(esc(forPeople)).append("</td><td class=\"n\">")
                .append(esc(String.valueOf(exact))).append("</td></tr>\n");
    }

    private static String describe(BillType t, Units units) {
        if (t instanceof BillType.Percentile95 p) {
            return "95th percentile (" + p.direction().text() + "), commit " + units.bitsPerSecond(p.commitBitsPerSecond())
                    + " (" + p.commitBitsPerSecond() + " bit/s)";
        }
        if (t instanceof BillType.Quota q) {
            return "quota " + units.bytes(q.quotaBytes()) + " (" + q.quotaBytes() + " bytes, " + q.direction().text() + ")";
        }
        return "volume";
    }

    /** Text into HTML element content or a quoted attribute. */
    static String esc(String v) {
        StringBuilder s = new StringBuilder(v.length());
        for (char c : v.toCharArray()) {
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                case '\'' -> s.append("&#39;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }
}
