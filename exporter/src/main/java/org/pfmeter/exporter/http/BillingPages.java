package org.pfmeter.exporter.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.pfmeter.accounting.billing.BillingPeriod;
import org.pfmeter.accounting.billing.Csv;
import org.pfmeter.accounting.bills.Bill;
import org.pfmeter.accounting.bills.BillType;
import org.pfmeter.accounting.bills.Bills;
import org.pfmeter.accounting.bills.BillsWriter;
import org.pfmeter.accounting.bills.PeriodFigures;
import org.pfmeter.accounting.store.StoreException;

/**
 * The billing pages in the browser, behind the billing users' authentication: {@code /billing/} lists
 * the bills with the status of their current period; {@code /billing/bill/NAME[?period=YYYY-MM]} shows
 * one bill: the 5-minute rate chart of the period with its 95th-percentile and commit lines, the
 * figures of the previous periods, and links to the CSV and JSON of the API. The chart is uPlot,
 * served from the jar with the page's own script and style under {@code /billing/assets/} (no CDN;
 * library code only, so without authentication); the chart's samples are a JSON data block in the
 * page, which is not executable. So the pages' Content-Security-Policy allows scripts and styles
 * from the daemon itself and nothing else, and every other path keeps {@code default-src 'none'}.
 *
 * <p>Every figure is printed as the CSV of {@code /billing/api/bills} prints it (digits grouped by
 * spaces), in an element naming its CSV column ({@code data-col}), so a reader (and the browser
 * test) can hold the page against the CSV.
 */
public final class BillingPages implements PathEndpoint {

    public static final String ROOT = "/billing/";
    static final String BILL = "/billing/bill/";
    static final String ASSETS = "/billing/assets/";
    /** What the pages need and nothing more: scripts and styles from the daemon, no inline ones. */
    static final String PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** Previous periods on a bill's page. */
    static final int HISTORY = 12;

    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    /** Served name → class-path resource and type. */
    private static final Map<String, String[]> ASSET_FILES = Map.of(
            "uPlot.iife.min.js", new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"},
            "uPlot.min.css", new String[] {UPLOT + "uPlot.min.css", "text/css; charset=utf-8"},
            "billing.js", new String[] {"org/pfmeter/exporter/http/billing.js", "text/javascript; charset=utf-8"},
            "billing.css", new String[] {"org/pfmeter/exporter/http/billing.css", "text/css; charset=utf-8"});

    /** Columns of the history table: the CSV's names. */
    private static final List<String> COMMON = List.of("bytes_in", "bytes_out", "bytes_total", "samples");
    private static final List<String> P95 = List.of("p95_bits_per_second", "overage_bits_per_second",
            "intervals_above_commit", "burst_headroom");
    private static final List<String> QUOTA = List.of("used_bytes", "remaining_bytes", "overage_bytes",
            "projected_used_bytes", "projected_overage_bytes");

    private final Authenticator authenticator;
    private final Supplier<Optional<Bills>> bills;
    private final Supplier<BillingState> state;
    private final Clock clock;

    /** @param state billing's state: while {@link BillingState.Pending} (no bills yet) a page is a 503 saying why */
    public BillingPages(Authenticator authenticator, Supplier<Optional<Bills>> bills, Supplier<BillingState> state, Clock clock) {
        this.authenticator = authenticator;
        this.bills = bills;
        this.state = state;
        this.clock = clock;
    }

    @Override
    public boolean handle(String path, Request request, Response response, Callback callback, boolean head) {
        if (path.startsWith(ASSETS)) {
            asset(path.substring(ASSETS.length()), response, callback, head);
            return true;
        }
        if (!path.equals(ROOT) && !path.startsWith(BILL)) {
            return false;
        }
        if (authenticator.authenticate(request, response, callback, head).isEmpty()) {
            return true;
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Optional<Bills> b = bills.get();
        if (b.isEmpty() && state.get() instanceof BillingState.Pending p) {
            p.send(response, callback, head);
            return true;
        }
        if (b.isEmpty()) {
            HttpServer.send(response, callback, 404, "text/plain; charset=utf-8",
                    "no bills: set billing.bills in the configuration (or the database is not open yet)\n", head);
            return true;
        }
        try {
            String html;
            if (path.equals(ROOT)) {
                html = list(b.get());
            } else {
                String name = URLDecoder.decode(path.substring(BILL.length()), StandardCharsets.UTF_8);
                Optional<Bill> one = b.get().file().bills().stream().filter(x -> x.name().equals(name)).findFirst();
                if (one.isEmpty()) {
                    HttpServer.send(response, callback, 404, "text/plain; charset=utf-8", "no bill of that name\n", head);
                    return true;
                }
                html = bill(b.get(), one.get(), Optional.ofNullable(Request.extractQueryParameters(request).getValue("period")));
            }
            response.getHeaders().put("Content-Security-Policy", PAGE_CSP);
            HttpServer.send(response, callback, 200, "text/html; charset=utf-8", html, head);
        } catch (IllegalArgumentException e) {
            HttpServer.send(response, callback, 400, "text/plain; charset=utf-8", e.getMessage() + "\n", head);
        } catch (StoreException e) {
            BillingState.storeFailed(e, response, callback, head);
        }
        return true;
    }

    private static void asset(String name, Response response, Callback callback, boolean head) {
        String[] file = ASSET_FILES.get(name);
        if (file == null) {
            HttpServer.send(response, callback, 404, "text/plain; charset=utf-8", "not found\n", head);
            return;
        }
        byte[] body;
        try (InputStream in = BillingPages.class.getClassLoader().getResourceAsStream(file[0])) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + file[0]);
            }
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, file[1]);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=86400");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
    }

    private String list(Bills b) {
        Instant now = clock.instant();
        StringBuilder s = head("Bills");
        s.append("<h1>Bills</h1>\n<p>As of ").append(html(now.toString())).append(". <a href=\"").append(BillsEndpoint.PATH)
                .append("?format=csv\">CSV</a> · <a href=\"").append(BillsEndpoint.PATH).append("\">JSON</a></p>\n");
        s.append("<div class=\"scroll\"><table id=\"bills\">\n<thead><tr><th>bill</th><th>customer</th><th>type</th>"
                + "<th>period</th><th>status</th></tr></thead>\n<tbody>\n");
        for (Bill bill : b.file().bills()) {
            PeriodFigures f = b.figures(bill, bill.cycle().periodContaining(now), now);
            s.append("<tr data-bill=\"").append(html(bill.name())).append("\"><td><a href=\"").append(billHref(bill.name(), null))
                    .append("\">").append(html(bill.name())).append("</a></td><td>").append(html(bill.customer()))
                    .append("</td><td>").append(html(typeText(bill.type()))).append("</td><td data-col=\"period\">")
                    .append(f.period()).append("</td><td class=\"").append(statusClass(f)).append("\">")
                    .append(html(statusText(f))).append("</td></tr>\n");
        }
        s.append("</tbody></table></div>\n");
        return foot(s);
    }

    private String bill(Bills b, Bill bill, Optional<String> periodName) {
        Instant now = clock.instant();
        BillingPeriod current = bill.cycle().periodContaining(now);
        BillingPeriod shown = periodName.map(bill.cycle()::period).orElse(current);
        if (shown.start().isAfter(now)) {
            throw new IllegalArgumentException("period " + shown.name() + " of bill " + bill.name() + " has not started yet");
        }
        PeriodFigures f = b.figures(bill, shown, now);
        BillUsage usage = BillUsage.of(b, bill, shown, f.asOf());
        List<PeriodFigures> history = b.history(bill, now, HISTORY);
        String enc = encode(bill.name());
        StringBuilder s = head("Bill " + bill.name());
        s.append("<p><a href=\"").append(ROOT).append("\">← all bills</a></p>\n");
        s.append("<h1>").append(html(bill.name())).append("</h1>\n<p>Customer ").append(html(bill.customer()))
                .append(" · ").append(html(typeText(bill.type()))).append(" · billing day ").append(bill.cycle().day())
                .append(", ").append(html(bill.cycle().zone().getId())).append("</p>\n");
        s.append("<h2>Period ").append(f.period()).append(" (").append(BillsWriter.status(f)).append(")</h2>\n");
        s.append("<p class=\"").append(statusClass(f)).append("\">").append(html(statusText(f))).append("</p>\n");
        s.append("<div id=\"chart\" class=\"chart\"");
        if (f.type() instanceof BillType.Percentile95 p) {
            s.append(" data-p95=\"").append(Csv.number(f.p95BitsPerSecond())).append("\" data-commit=\"")
                    .append(p.commitBitsPerSecond()).append('"');
        }
        s.append("></div>\n<script type=\"application/json\" id=\"usage-data\">").append(usage.chartData()).append("</script>\n");
        s.append("<p class=\"note\">Rates in bit/s per 5-minute interval; gaps are intervals without a poll.</p>\n");
        s.append("<p>Export: <a href=\"").append(BillsEndpoint.PATH).append('/').append(enc).append(BillsEndpoint.USAGE)
                .append("?period=").append(f.period()).append("&amp;format=csv\">usage CSV</a> · <a href=\"")
                .append(BillsEndpoint.PATH).append('/').append(enc).append(BillsEndpoint.USAGE).append("?period=").append(f.period())
                .append("\">usage JSON</a> · <a href=\"").append(BillsEndpoint.PATH).append('/').append(enc).append("?history=")
                .append(HISTORY).append("&amp;format=csv\">bill CSV</a> · <a href=\"").append(BillsEndpoint.PATH).append('/')
                .append(enc).append("?history=").append(HISTORY).append("\">bill JSON</a></p>\n");
        List<String> cols = new java.util.ArrayList<>(COMMON);
        cols.addAll(bill.type() instanceof BillType.Percentile95 ? P95 : bill.type() instanceof BillType.Quota ? QUOTA : List.of());
        s.append("<h2>Periods</h2>\n<div class=\"scroll\"><table id=\"history\">\n<thead><tr><th>period</th><th>status</th>");
        for (String c : cols) {
            s.append("<th>").append(header(c)).append("</th>");
        }
        s.append("</tr></thead>\n<tbody>\n");
        for (int i = history.size() - 1; i >= 0; i--) {
            PeriodFigures h = history.get(i);
            Map<String, String> csv = csvRow(bill, h);
            s.append("<tr data-period=\"").append(h.period()).append('"').append(h.period().equals(f.period()) ? " class=\"shown\"" : "")
                    .append("><td data-col=\"period\"><a href=\"").append(billHref(bill.name(), h.period())).append("\">")
                    .append(h.period()).append("</a></td><td data-col=\"status\">").append(csv.get("status")).append("</td>");
            for (String c : cols) {
                s.append("<td class=\"num\" data-col=\"").append(c).append("\">").append(group(csv.get(c))).append("</td>");
            }
            s.append("</tr>\n");
        }
        s.append("</tbody></table></div>\n");
        return foot(s);
    }

    /** The period's CSV row of /billing/api/bills, by column: what the page prints. */
    private static Map<String, String> csvRow(Bill bill, PeriodFigures f) {
        java.io.StringWriter w = new java.io.StringWriter();
        try {
            BillsWriter.csv(List.of(new BillsWriter.BillPeriods(bill, List.of(f))), w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] lines = w.toString().split("\r\n");
        List<String> names = List.of(lines[0].split(",", -1));
        List<String> cells = splitCsv(lines[1]);
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), cells.get(i));
        }
        return m;
    }

    private static List<String> splitCsv(String line) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(cell.toString());
        return out;
    }

    private static String header(String col) {
        return html(col.replace("_bits_per_second", " (bit/s)").replace("_bytes", " (bytes)").replace("bytes_", "bytes ")
                .replace('_', ' '));
    }

    /** Digits grouped by three with spaces, the decimals left as they are: {@code 1234567.890} → {@code 1 234 567.890}. */
    static String group(String v) {
        if (v == null || v.isEmpty()) {
            return "";
        }
        int dot = v.indexOf('.');
        String whole = dot < 0 ? v : v.substring(0, dot);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < whole.length(); i++) {
            if (i > 0 && (whole.length() - i) % 3 == 0) {
                s.append(' ');
            }
            s.append(whole.charAt(i));
        }
        return s.append(dot < 0 ? "" : v.substring(dot)).toString();
    }

    private static String statusText(PeriodFigures f) {
        if (f.type() instanceof BillType.Percentile95 p) {
            return "95th percentile " + group(Csv.number(Math.round(f.p95BitsPerSecond()))) + " bit/s of a "
                    + group(Csv.number(p.commitBitsPerSecond())) + " bit/s commit: "
                    + (f.overageBitsPerSecond() > 0 ? "above the commit" : "within the commit") + "; "
                    + f.aboveCommit() + " intervals above it, burst headroom " + f.burstHeadroom();
        }
        if (f.type() instanceof BillType.Quota q) {
            return "used " + group(Csv.number(f.usedBytes())) + " of " + group(Csv.number(q.quotaBytes())) + " bytes; projected "
                    + group(Csv.number(f.projectedUsedBytes())) + ": "
                    + (f.overageBytes().orElse(0) > 0 ? "over the quota"
                            : f.projectedOverageBytes().orElse(0) > 0 ? "projected over the quota" : "within the quota");
        }
        return group(Csv.number(f.bytesTotal())) + " bytes";
    }

    private static String typeText(BillType t) {
        if (t instanceof BillType.Percentile95 p) {
            return "95th percentile (" + p.direction().text() + "), commit " + group(Csv.number(p.commitBitsPerSecond())) + " bit/s";
        }
        if (t instanceof BillType.Quota q) {
            return "quota (" + q.direction().text() + ") " + group(Csv.number(q.quotaBytes())) + " bytes";
        }
        return "volume";
    }

    private static String statusClass(PeriodFigures f) {
        boolean over = f.overageBitsPerSecond() > 0 || f.overageBytes().orElse(0) > 0;
        boolean warn = f.projectedOverageBytes().orElse(0) > 0
                || (f.type() instanceof BillType.Percentile95 && f.burstHeadroom() == 0);
        return over ? "status over" : warn ? "status warn" : "status ok";
    }

    private static String billHref(String name, String period) {
        return BILL + encode(name) + (period == null ? "" : "?period=" + period);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static StringBuilder head(String title) {
        StringBuilder s = new StringBuilder(16 * 1024);
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(html(title)).append(" · pfmeter</title>\n")
                // no favicon request (a 404 in the console): an empty icon, what img-src data: is for
                .append("<link rel=\"icon\" href=\"data:,\">\n")
                .append("<link rel=\"stylesheet\" href=\"").append(ASSETS).append("uPlot.min.css\">\n")
                .append("<link rel=\"stylesheet\" href=\"").append(ASSETS).append("billing.css\">\n")
                .append("<script src=\"").append(ASSETS).append("uPlot.iife.min.js\" defer></script>\n")
                .append("<script src=\"").append(ASSETS).append("billing.js\" defer></script>\n</head>\n<body>\n");
        return s;
    }

    private static String foot(StringBuilder s) {
        return s.append("</body>\n</html>\n").toString();
    }

    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A JSON string literal, safe inside HTML too ({@code <} escaped). */
    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
