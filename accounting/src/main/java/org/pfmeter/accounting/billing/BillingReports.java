package org.pfmeter.accounting.billing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.SqlUsageSource;
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.pf.model.LabelKey;

/**
 * Makes billing reports from the 5-minute data: per label and per customer, volumes in, out and
 * total, the 95th percentile of the 5-minute rates in, out and the higher of the two (see
 * {@link Percentiles}, over the slots with data), the peak rate, for the current month the
 * month-to-date figures with a projection to its end, and for the report and every line its
 * {@link Coverage}: the share of elapsed slots with data and the gaps longer than the query's
 * threshold.
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

    private final UsageSource source;
    private final BillingCycle cycle;
    private final CustomerMapping mapping;
    private final Clock clock;

    /** Reports over the accounting database ({@link SqlUsageSource}). */
    public BillingReports(AccountingStore store, BillingCycle cycle, CustomerMapping mapping, Clock clock) {
        this(new SqlUsageSource(Objects.requireNonNull(store, "store")), cycle, mapping, clock);
    }

    public BillingReports(UsageSource source, BillingCycle cycle, CustomerMapping mapping, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
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
     * @throws NoDataException          a month that ends before the first poll (of the host asked for)
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
        boolean ended = !asOf.isBefore(period.end());
        int slots = SlotGrid.count(period.start(), period.end());
        int elapsed = SlotGrid.count(period.start(), limit);
        long first = SlotGrid.ceil(period.start());

        Optional<Double> factor = ended ? Optional.empty()
                : Optional.of(elapsedFraction(period, asOf));
        SlotData.Series none = new SlotData.Series(period.start(), limit);
        // the slot in progress counts once it has data, so a report made mid-slot shows no gap at its end
        boolean inProgress = !ended && elapsed > 0
                && Instant.ofEpochSecond(SlotGrid.start(first, elapsed)).isAfter(asOf);
        // Label by label: only the label being read and the customers' sums are held, never the
        // whole month of every label.
        Map<LabelKey, BillingReport.LabelLine> lineOf = new HashMap<>();
        Map<String, SlotData.Series> perCustomer = new TreeMap<>();
        Scoped read = source.read("read 5-minute usage for " + period.name(), r -> {
            Scope sc = scope(r, mapping, q.host(), q.labels(), q.customer());
            Polls p = Polls.read(r, q.host());
            p.requireDataBy(period, cycle);
            p.readSlots(r, first, elapsed);
            r.forEachLabel(period.start(), limit, q.host(), sc.labels.keySet(), SlotData.collect(period.start(), limit, (k, s) -> {
                Optional<String> customer = sc.labels.get(k);
                lineOf.put(k, line(k, customer, s, p.line(k, s), first, elapsed, inProgress, q.gapThreshold(), factor));
                customer.ifPresent(name -> perCustomer.computeIfAbsent(name, x -> none.emptyLike()).addAll(s));
            }));
            return new Scoped(sc, p);
        });
        Scope scope = read.scope();
        Polls polls = read.polls();

        List<BillingReport.LabelLine> lines = new ArrayList<>();
        Map<String, List<LabelKey>> customerLabels = new TreeMap<>();
        List<LabelKey> unassigned = new ArrayList<>();
        for (Map.Entry<LabelKey, Optional<String>> e : scope.labels.entrySet()) {
            LabelKey k = e.getKey();
            BillingReport.LabelLine line = lineOf.get(k);
            lines.add(line != null ? line
                    : line(k, e.getValue(), none, polls.line(k, none), first, elapsed, inProgress, q.gapThreshold(), factor));
            if (e.getValue().isPresent()) {
                perCustomer.computeIfAbsent(e.getValue().get(), x -> none.emptyLike());
                customerLabels.computeIfAbsent(e.getValue().get(), x -> new ArrayList<>()).add(k);
            } else {
                unassigned.add(k);
            }
        }
        List<BillingReport.CustomerLine> customers = new ArrayList<>();
        perCustomer.forEach((name, s) -> {
            Coverage cov = coverage(polls.customer(customerLabels.get(name), s), first, elapsed, inProgress, q.gapThreshold());
            Usage u = s.usage(cov.polledSlots());
            customers.add(new BillingReport.CustomerLine(name, customerLabels.get(name), u, cov,
                    factor.map(f -> Projection.of(u, f))));
        });
        List<String> hosts = q.host().map(List::of).orElse(scope.hosts);
        Coverage coverage = coverage(polls.all(hosts), first, elapsed, inProgress, q.gapThreshold());
        return new BillingReport(period, asOf, ended && coverage.full(), ended, q.units(), slots, elapsed, coverage,
                q.gapThreshold(), hosts, lines, customers, unassigned);
    }

    private static BillingReport.LabelLine line(LabelKey k, Optional<String> customer, SlotData.Series s, BitSet data,
                                                long first, int elapsed, boolean inProgress, Duration threshold,
                                                Optional<Double> factor) {
        Coverage cov = coverage(data, first, elapsed, inProgress, threshold);
        Usage u = s.usage(cov.polledSlots());
        return new BillingReport.LabelLine(k, customer, new ArrayList<>(s.hosts), u, cov, factor.map(f -> Projection.of(u, f)));
    }

    static Coverage coverage(BitSet data, long first, int elapsed, boolean inProgress, Duration threshold) {
        int counted = inProgress && elapsed > 0 && !data.get(elapsed - 1) ? elapsed - 1 : elapsed;
        return Coverage.of(data, first, counted, threshold);
    }

    /**
     * The polled slots of the period's hosts and which hosts
     * know which label: what the coverage of each line is computed from.
     */
    static final class Polls {
        /** Per host polled in the period (up to the report's time), its polled slots. */
        private Map<String, BitSet> byHost = Map.of();
        private final Map<LabelKey, List<String>> hostsOf;
        private final Optional<String> host;
        private final Map<String, Instant> firstPolls;

        private Polls(Map<LabelKey, List<String>> hostsOf, Optional<String> host, Map<String, Instant> firstPolls) {
            this.hostsOf = hostsOf;
            this.host = host;
            this.firstPolls = firstPolls;
        }

        static Polls read(UsageSource.Reading r, Optional<String> host) {
            Map<String, Instant> firstPolls = new HashMap<>(r.firstPolls());
            host.ifPresent(h -> firstPolls.keySet().retainAll(Set.of(h)));
            return new Polls(host.isPresent() ? Map.of() : r.hostsByLabel(), host, firstPolls);
        }

        /** Reads the polled slots of the {@code elapsed} slots from {@code first}. */
        void readSlots(UsageSource.Reading r, long first, int elapsed) {
            byHost = new HashMap<>(r.polledSlots(first, elapsed));
            host.ifPresent(h -> byHost.keySet().retainAll(Set.of(h)));
        }

        /**
         * A month that ends before the first poll has no data at all: an error, not a page of
         * zeros.
         */
        void requireDataBy(BillingPeriod period, BillingCycle cycle) {
            Optional<Instant> firstPoll = firstPolls.values().stream().min(Instant::compareTo);
            String whose = host.map(h -> " of host " + h).orElse("");
            if (firstPoll.isEmpty()) {
                throw new NoDataException("billing month " + period.name() + " has no data: the accounting database holds"
                        + " no poll" + whose + " yet");
            }
            if (!firstPoll.get().isBefore(period.end())) {
                throw new NoDataException("billing month " + period.name() + " is before any data: the first poll" + whose
                        + " was at " + firstPoll.get() + ", so the first month with data is "
                        + cycle.periodContaining(firstPoll.get()).name());
            }
        }

        /** The slots in which every one of {@code hosts} polled in the period was polled. */
        BitSet all(Collection<String> hosts) {
            return all(hosts, null);
        }

        /**
         * The slots in which every one of {@code hosts} that was polled in the period, or has a row
         * in {@code s}, has data: a poll, or a row of {@code s} (a database older than migration
         * V4 knows its polls only from its rows).
         */
        private BitSet all(Collection<String> hosts, SlotData.Series s) {
            BitSet b = null;
            for (String h : hosts) {
                BitSet p = byHost.get(h);
                BitSet r = s == null ? null : s.rows(h);
                if (p == null && (r == null || r.isEmpty())) {
                    continue;       // not polled in the period: not in service, nothing to miss
                }
                BitSet d = p == null ? new BitSet() : (BitSet) p.clone();
                if (r != null) {
                    d.or(r);
                }
                if (b == null) {
                    b = d;
                } else {
                    b.and(d);
                }
            }
            return b == null ? new BitSet() : b;
        }

        private List<String> hostsOf(LabelKey k) {
            return host.map(List::of).orElseGet(() -> hostsOf.getOrDefault(k, List.of()));
        }

        /** A label's slots with data: every one of its hosts in service polled, or booked its traffic. */
        BitSet line(LabelKey k, SlotData.Series s) {
            return all(hostsOf(k), s);
        }

        /** The same over the hosts of all of a customer's labels. */
        BitSet customer(Collection<LabelKey> labels, SlotData.Series s) {
            Set<String> hosts = new TreeSet<>();
            labels.forEach(k -> hosts.addAll(hostsOf(k)));
            return all(hosts, s);
        }
    }

    /** period length / elapsed time, for the projection. */
    private static double elapsedFraction(BillingPeriod p, Instant asOf) {
        Duration elapsed = Duration.between(p.start(), asOf);
        if (elapsed.isZero()) {
            return 0;
        }
        return (double) p.length().toMillis() / elapsed.toMillis();
    }

    /** What a report reads before its labels' slots: its scope and the polls of its hosts. */
    private record Scoped(Scope scope, Polls polls) {
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

    static Scope scope(UsageSource.Reading r, CustomerMapping mapping, Optional<String> host, List<String> labelNames,
                       Optional<String> customer) {
        List<String> hosts = r.hosts();
        if (host.isPresent() && !hosts.contains(host.get())) {
            throw new UnknownLabelException("host", host.get(), hosts);
        }
        if (customer.isPresent() && !mapping.customers().contains(customer.get())) {
            throw new IllegalArgumentException("customer '" + customer.get() + "' is not in the customer mapping"
                    + (mapping.isEmpty() ? " (billing.customers is empty)" : "; known customers: " + String.join(", ", mapping.customers())));
        }
        List<LabelKey> known = r.labels(host);
        mapping.checkExactNames(r.labels(Optional.empty()));
        List<LabelKey> chosen = new ArrayList<>();
        if (labelNames.isEmpty()) {
            chosen.addAll(known);
        } else {
            Set<LabelKey> knownSet = new HashSet<>(known);
            for (String n : labelNames) {
                // exactly the label the name says (LabelKey#parse), never another one printed alike
                LabelKey k = LabelKey.parse(n);
                if (!knownSet.contains(k)) {
                    List<String> names = new ArrayList<>();
                    known.forEach(x -> names.add(x.toString()));
                    throw new UnknownLabelException("label", n, names);
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
