package org.pfmeter.exporter.http;

import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.pfmeter.accounting.bills.Bill;
import org.pfmeter.accounting.bills.Bills;
import org.pfmeter.accounting.bills.BillsWriter;
import org.pfmeter.accounting.store.StoreException;

/**
 * {@code GET /billing/api/bills[?period=YYYY-MM|history=N][&format=json|csv]} and
 * {@code GET /billing/api/bills/NAME[?…]} and {@code GET /billing/api/bills/NAME/usage[?period=YYYY-MM][&format=…]}
 * (the 5-minute samples of the period, the current one by default): the bills of {@code billing.bills}, as
 * {@code pfmeter bills --format json|csv} prints them, as of now. Behind the billing users' HTTP
 * basic authentication (the same users and refusal of plain HTTP off loopback as /billing). Bad
 * input is a 400 with the command line's message, an unknown bill a 404, no bills file a 404 that
 * says so, a database that is not up a 503. Nothing is ever changed.
 */
public final class BillsEndpoint implements PathEndpoint {

    public static final String PATH = "/billing/api/bills";
    /** {@code /billing/api/bills/NAME/usage[?period=YYYY-MM][&format=…]}: the bill's 5-minute samples ({@link BillUsage}). */
    static final String USAGE = "/usage";

    private final Authenticator authenticator;
    private final Supplier<Optional<Bills>> bills;
    private final Supplier<BillingState> state;
    private final Clock clock;

    /**
     * @param bills the daemon's bills, empty until the database is open or when billing.bills is not set
     * @param state billing's state: while {@link BillingState.Pending} (no bills yet) a request is a 503 saying why
     */
    public BillsEndpoint(Authenticator authenticator, Supplier<Optional<Bills>> bills, Supplier<BillingState> state, Clock clock) {
        this.authenticator = authenticator;
        this.bills = bills;
        this.state = state;
        this.clock = clock;
    }

    @Override
    public boolean handle(String path, Request request, Response response, Callback callback, boolean head) {
        if (!path.equals(PATH) && !path.startsWith(PATH + "/")) {
            return false;
        }
        if (authenticator.authenticate(request, response, callback, head).isEmpty()) {
            return true;
        }
        Fields q = Request.extractQueryParameters(request);
        String format = Optional.ofNullable(q.getValue("format")).orElse("json");
        if (!format.equals("csv") && !format.equals("json")) {
            HttpServer.send(response, callback, 400, "text/plain; charset=utf-8", "format must be json or csv\n", head);
            return true;
        }
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
            String period = q.getValue("period");
            String history = q.getValue("history");
            if (period != null && history != null) {
                throw new IllegalArgumentException("give period or history, not both");
            }
            int previous = 0;
            if (history != null) {
                try {
                    previous = Integer.parseInt(history);
                } catch (NumberFormatException e) {
                    previous = -1;
                }
                if (previous < 0 || previous > 1200) {
                    throw new IllegalArgumentException("history must be 0 to 1200, not '" + history + "'");
                }
            }
            if (path.endsWith(USAGE) && path.length() > PATH.length() + 1 + USAGE.length()) {
                String name = URLDecoder.decode(path.substring(PATH.length() + 1, path.length() - USAGE.length()), StandardCharsets.UTF_8);
                Optional<Bill> one = b.get().file().bills().stream().filter(x -> x.name().equals(name)).findFirst();
                if (one.isEmpty()) {
                    HttpServer.send(response, callback, 404, "text/plain; charset=utf-8", "no bill of that name\n", head);
                    return true;
                }
                if (history != null) {
                    throw new IllegalArgumentException("the usage export is of one period: give period, not history");
                }
                Instant asOf = clock.instant();
                var p = period != null ? one.get().cycle().period(period) : one.get().cycle().periodContaining(asOf);
                BillUsage u = BillUsage.of(b.get(), one.get(), p, b.get().figures(one.get(), p, asOf).asOf());
                StringWriter w = new StringWriter();
                if (format.equals("csv")) {
                    u.csv(w);
                } else {
                    u.json(w);
                }
                HttpServer.send(response, callback, 200, format.equals("csv") ? "text/csv; charset=utf-8" : "application/json",
                        w.toString(), head);
                return true;
            }
            List<Bill> chosen;
            if (path.length() > PATH.length() + 1) {
                String name = URLDecoder.decode(path.substring(PATH.length() + 1), StandardCharsets.UTF_8);
                Optional<Bill> one = b.get().file().bills().stream().filter(x -> x.name().equals(name)).findFirst();
                if (one.isEmpty()) {
                    HttpServer.send(response, callback, 404, "text/plain; charset=utf-8", "no bill of that name\n", head);
                    return true;
                }
                chosen = List.of(one.get());
            } else {
                chosen = b.get().file().bills();
            }
            Instant asOf = clock.instant();
            List<BillsWriter.BillPeriods> result = new ArrayList<>();
            for (Bill bill : chosen) {
                result.add(new BillsWriter.BillPeriods(bill, period != null
                        ? List.of(b.get().figures(bill, bill.cycle().period(period), asOf))
                        : b.get().history(bill, asOf, previous)));
            }
            StringWriter w = new StringWriter();
            if (format.equals("csv")) {
                BillsWriter.csv(result, w);
            } else {
                BillsWriter.json(result, asOf, w);
            }
            HttpServer.send(response, callback, 200, format.equals("csv") ? "text/csv; charset=utf-8" : "application/json",
                    w.toString(), head);
        } catch (IllegalArgumentException e) {
            HttpServer.send(response, callback, 400, "text/plain; charset=utf-8", e.getMessage() + "\n", head);
        } catch (StoreException e) {
            BillingState.storeFailed(e, response, callback, head);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return true;
    }
}
