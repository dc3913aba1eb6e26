package org.pfmeter.accounting.billing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.pf.model.LabelKey;

/**
 * Makes billing reports from the 5-minute data: per label and per customer, volumes in, out and
 * total, the 95th percentile of the 5-minute rates in, out and the higher of the two (see
 * {@link Percentiles}), the peak rate, and for the current month the month-to-date figures with a
 * projection to its end.
 *
 * <p>Reports read the 5-minute table, which retention keeps for 400 days by default
 * ({@code accounting.retention.5m}): older months report what is left of it.
 *
 * <pre>{@code
 * BillingReports reports = new BillingReports(store, cycle, CustomerMapping.load(path), Clock.systemUTC());
 * BillingReport r = reports.report(ReportQuery.of(cycle.period("2026-10")).withUnits(Units.IEC));
 * new JsonReportWriter().write(r, out);
 * }</pre>
 */
public final class BillingReports {

    private final AccountingStore store;
    private final BillingCycle cycle;
    private final CustomerMapping mapping;
    private final Clock clock;

    public BillingReports(AccountingStore store, BillingCycle cycle, CustomerMapping mapping, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.cycle = Objects.requireNonNull(cycle, "cycle");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public BillingCycle cycle() {
        return cycle;
    }

    public CustomerMapping mapping() {
        return mapping;
    }

    /**
     * @throws IllegalArgumentException a month that has not started, an unknown host, label or
     *                                  customer ({@link UnknownLabelException}), or labels two
     *                                  customers' patterns claim
     *                                  ({@link CustomerMapping.OverlappingMappingException})
     * @throws org.pfmeter.accounting.store.StoreException when the database cannot be read
     */
    public BillingReport report(ReportQuery q) {
        BillingPeriod period = q.period();
        Instant asOf = clock.instant();
        if (asOf.isBefore(period.start())) {
            throw new IllegalArgumentException("billing month " + period.name() + " has not started yet: it starts "
                    + period.startLocal().toOffsetDateTime() + " (" + cycle + ")");
        }
        Instant limit = asOf.isBefore(period.end()) ? asOf : period.end();
        boolean complete = !asOf.isBefore(period.end());
        int slots = SlotData.slots(period.start(), period.end());
        int elapsed = SlotData.slots(period.start(), limit);

        Scope scope = scope(store, mapping, q.host(), q.labels(), q.customer());
        Optional<Double> factor = complete ? Optional.empty()
                : Optional.of(elapsedFraction(period, asOf));
        SlotData.Series none = new SlotData.Series(period.start(), limit);
        // Label by label: only the label being read and the customers' sums are held, never the
        // whole month of every label.
        Map<LabelKey, BillingReport.LabelLine> read = new HashMap<>();
        Map<String, SlotData.Series> perCustomer = new TreeMap<>();
        store.query("read 5-minute usage for " + period.name(), c -> {
            SlotData.forEachLabel(c, period.start(), limit, q.host(), scope.labels.keySet(), true, (k, s) -> {
                Optional<String> customer = scope.labels.get(k);
                read.put(k, line(k, customer, s, elapsed, factor));
                customer.ifPresent(name -> perCustomer.computeIfAbsent(name, x -> none.emptyLike()).addAll(s));
            });
            return null;
        });

        List<BillingReport.LabelLine> lines = new ArrayList<>();
        Map<String, List<LabelKey>> customerLabels = new TreeMap<>();
        List<LabelKey> unassigned = new ArrayList<>();
        for (Map.Entry<LabelKey, Optional<String>> e : scope.labels.entrySet()) {
            LabelKey k = e.getKey();
            BillingReport.LabelLine line = read.get(k);
            lines.add(line != null ? line : line(k, e.getValue(), none, elapsed, factor));
            if (e.getValue().isPresent()) {
                perCustomer.computeIfAbsent(e.getValue().get(), x -> none.emptyLike());
                customerLabels.computeIfAbsent(e.getValue().get(), x -> new ArrayList<>()).add(k);
            } else {
                unassigned.add(k);
            }
        }
        List<BillingReport.CustomerLine> customers = new ArrayList<>();
        perCustomer.forEach((name, s) -> {
            Usage u = s.usage(elapsed);
            customers.add(new BillingReport.CustomerLine(name, customerLabels.get(name), u, factor.map(f -> Projection.of(u, f))));
        });
        List<String> hosts = q.host().map(List::of).orElse(scope.hosts);
        return new BillingReport(period, asOf, complete, q.units(), slots, elapsed, hosts, lines, customers, unassigned);
    }

    private static BillingReport.LabelLine line(LabelKey k, Optional<String> customer, SlotData.Series s, int elapsed,
                                                Optional<Double> factor) {
        Usage u = s.usage(elapsed);
        return new BillingReport.LabelLine(k, customer, new ArrayList<>(s.hosts), u, factor.map(f -> Projection.of(u, f)));
    }

    /** period length / elapsed time, for the projection. */
    private static double elapsedFraction(BillingPeriod p, Instant asOf) {
        Duration elapsed = Duration.between(p.start(), asOf);
        if (elapsed.isZero()) {
            return 0;
        }
        return (double) p.length().toMillis() / elapsed.toMillis();
    }

    /** The labels a query covers, each with its customer; hosts known. */
    static final class Scope {
        final List<String> hosts;
        final Map<LabelKey, Optional<String>> labels;

        Scope(List<String> hosts, Map<LabelKey, Optional<String>> labels) {
            this.hosts = hosts;
            this.labels = labels;
        }
    }

    static Scope scope(AccountingStore store, CustomerMapping mapping, Optional<String> host, List<String> labelNames,
                       Optional<String> customer) {
        List<String> hosts = store.hosts();
        if (host.isPresent() && !hosts.contains(host.get())) {
            throw new UnknownLabelException("host", host.get(), hosts);
        }
        if (customer.isPresent() && !mapping.customers().contains(customer.get())) {
            throw new IllegalArgumentException("customer '" + customer.get() + "' is not in the customer mapping"
                    + (mapping.isEmpty() ? " (billing.customers is empty)" : "; known customers: " + String.join(", ", mapping.customers())));
        }
        List<LabelKey> known = store.labels(host);
        Map<String, LabelKey> byName = new LinkedHashMap<>();
        known.forEach(k -> byName.put(k.toString(), k));
        List<LabelKey> chosen = new ArrayList<>();
        if (labelNames.isEmpty()) {
            chosen.addAll(known);
        } else {
            for (String n : labelNames) {
                LabelKey k = byName.get(n);
                if (k == null) {
                    throw new UnknownLabelException("label", n, byName.keySet());
                }
                chosen.add(k);
            }
        }
        Map<LabelKey, Optional<String>> m = new TreeMap<>();
        for (LabelKey k : chosen) {
            Optional<String> c = mapping.customerOf(k);
            if (customer.isEmpty() || c.equals(customer)) {
                m.put(k, c);
            }
        }
        return new Scope(hosts, m);
    }
}
