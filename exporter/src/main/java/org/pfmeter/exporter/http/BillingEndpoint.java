package org.pfmeter.exporter.http;

import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.pfmeter.accounting.billing.BillingCycle;
import org.pfmeter.accounting.billing.BillingPeriod;
import org.pfmeter.accounting.billing.BillingReport;
import org.pfmeter.accounting.billing.BillingReports;
import org.pfmeter.accounting.billing.CsvReportWriter;
import org.pfmeter.accounting.billing.CustomerMapping;
import org.pfmeter.accounting.billing.JsonReportWriter;
import org.pfmeter.accounting.billing.NoDataException;
import org.pfmeter.accounting.billing.ReportQuery;
import org.pfmeter.accounting.billing.Units;
import org.pfmeter.accounting.billing.UsageExport;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.DamagedRowException;
import org.pfmeter.accounting.store.SqlUsageSource;
import org.pfmeter.accounting.store.StoreException;

/**
 * {@code GET /billing?month=YYYY-MM[&customer=C][&label=L…][&host=H][&format=csv|json][&units=si|iec]}
 * and {@code GET /billing/usage?month=YYYY-MM&label=L|customer=C[&host=H][&format=csv|json]}: the same
 * reports as {@code pfmeter billing} and {@code pfmeter usage}, behind HTTP basic authentication.
 * Bad input is a 400 with the same message the command line gives; a month that ends before the
 * first poll is a 404 with the message naming the first month with data. Nothing is ever changed.
 * Reports carry their coverage; gaps longer than {@code billing.gap-threshold} are listed.
 */
public final class BillingEndpoint {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BillingEndpoint.class);

    public static final String BILLING = "/billing";
    public static final String USAGE = "/billing/usage";

    private final Authenticator authenticator;
    private final AccountingStore store;
    private final BillingCycle cycle;
    private final CustomerMapping mapping;
    private final java.time.Duration gapThreshold;
    private final java.time.Clock clock;

    /** @param gapThreshold {@code billing.gap-threshold}: reports list the gaps in the data longer than this */
    public BillingEndpoint(Authenticator authenticator, AccountingStore store, BillingCycle cycle, CustomerMapping mapping,
            java.time.Duration gapThreshold, java.time.Clock clock) {
        this.authenticator = authenticator;
        this.store = store;
        this.cycle = cycle;
        this.mapping = mapping;
        this.gapThreshold = gapThreshold;
        this.clock = clock;
    }

    /** Whether {@code path} is one of this endpoint's. */
    static boolean isBillingPath(String path) {
        return path.equals(BILLING) || path.equals(USAGE);
    }

    /** Answers a request for {@code path}; false when the path is not a billing path. */
    public boolean handle(String path, Request request, Response response, Callback callback, boolean head) {
        if (!isBillingPath(path)) {
            return false;
        }
        if (authenticator.authenticate(request, response, callback, head).isEmpty()) {
            return true;
        }
        Fields q = Request.extractQueryParameters(request);
        String format = Optional.ofNullable(q.getValue("format")).orElse("csv");
        if (!format.equals("csv") && !format.equals("json")) {
            HttpServer.send(response, callback, 400, "text/plain; charset=utf-8", "format must be csv or json\n", head);
            return true;
        }
        try {
            String month = q.getValue("month");
            if (month == null) {
                throw new IllegalArgumentException("month is required, in the form YYYY-MM (for example 2026-10)");
            }
            BillingPeriod period = cycle.period(month);
            StringWriter w = new StringWriter();
            if (path.equals(BILLING)) {
                ReportQuery rq = ReportQuery.of(period).withUnits(Units.parse(Optional.ofNullable(q.getValue("units")).orElse("si")))
                        .withGapThreshold(gapThreshold);
                if (q.getValue("host") != null) {
                    rq = rq.withHost(q.getValue("host"));
                }
                List<String> labels = q.getValues("label");
                if (labels != null && !labels.isEmpty()) {
                    rq = rq.withLabels(labels);
                }
                if (q.getValue("customer") != null) {
                    rq = rq.withCustomer(q.getValue("customer"));
                }
                BillingReport r = new BillingReports(new SqlUsageSource(store, LOG::warn), cycle, mapping, clock).report(rq);
                if (format.equals("csv")) {
                    new CsvReportWriter().write(r, w);
                } else {
                    new JsonReportWriter().write(r, w);
                }
            } else {
                UsageExport export = new UsageExport(new SqlUsageSource(store, LOG::warn), mapping, clock);
                Optional<String> host = Optional.ofNullable(q.getValue("host"));
                UsageExport.Samples s;
                if (q.getValue("label") != null) {
                    s = export.forLabel(period, host, q.getValue("label"));
                } else if (q.getValue("customer") != null) {
                    s = export.forCustomer(period, host, q.getValue("customer"));
                } else {
                    throw new IllegalArgumentException("give label or customer");
                }
                if (format.equals("csv")) {
                    export.writeCsv(s, w);
                } else {
                    export.writeJson(s, w);
                }
            }
            HttpServer.send(response, callback, 200, format.equals("csv") ? "text/csv; charset=utf-8" : "application/json", w.toString(), head);
        } catch (NoDataException e) {
            // a month before the first poll: there is no such report, rather than a page of zeros
            HttpServer.send(response, callback, 404, "text/plain; charset=utf-8", e.getMessage() + "\n", head);
        } catch (IllegalArgumentException e) {
            HttpServer.send(response, callback, 400, "text/plain; charset=utf-8", e.getMessage() + "\n", head);
        } catch (DamagedRowException e) {
            // never a bill from a damaged row; the row and what to do go to the log, not to the client
            LOG.error("billing: {}", e.getMessage());
            HttpServer.send(response, callback, 500, "text/plain; charset=utf-8", "the accounting database holds a damaged row;"
                    + " see the daemon's log and run pfmeter verify\n", head);
        } catch (StoreException e) {
            BillingState.storeFailed(e, response, callback, head);
        }
        return true;
    }

}
