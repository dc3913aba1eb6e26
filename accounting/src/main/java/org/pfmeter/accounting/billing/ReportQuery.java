package org.pfmeter.accounting.billing;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a billing report covers.
 *
 * @param period   the billing month
 * @param host     one host, or empty for every host in the database (a label's traffic is then
 *                 added up over the hosts, as for an HA pair of firewalls)
 * @param labels   qualified label names ({@code label} or {@code anchor:label}, read by {@link org.pfmeter.pf.model.LabelKey#parse}) to report on, or empty
 *                 for all; a name the database does not know is an {@link UnknownLabelException}
 * @param customer one customer (its labels only), or empty for all
 * @param units    how human-readable figures are printed
 * @param gapThreshold gaps in the data this long or shorter are not listed (they still lower the
 *                 coverage)
 */
public record ReportQuery(BillingPeriod period, Optional<String> host, List<String> labels, Optional<String> customer, Units units,
                          Duration gapThreshold) {

    /** The default of {@code billing.gap-threshold}. */
    public static final Duration DEFAULT_GAP_THRESHOLD = Duration.ofHours(1);

    public ReportQuery {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(host, "host");
        labels = List.copyOf(labels);
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(units, "units");
        Objects.requireNonNull(gapThreshold, "gapThreshold");
        if (gapThreshold.isNegative()) {
            throw new IllegalArgumentException("the gap threshold must not be negative: " + gapThreshold);
        }
    }

    /** Every label on every host, SI units. */
    public static ReportQuery of(BillingPeriod period) {
        return new ReportQuery(period, Optional.empty(), List.of(), Optional.empty(), Units.SI, DEFAULT_GAP_THRESHOLD);
    }

    public ReportQuery withHost(String h) {
        return new ReportQuery(period, Optional.of(h), labels, customer, units, gapThreshold);
    }

    public ReportQuery withLabels(List<String> l) {
        return new ReportQuery(period, host, l, customer, units, gapThreshold);
    }

    public ReportQuery withCustomer(String c) {
        return new ReportQuery(period, host, labels, Optional.of(c), units, gapThreshold);
    }

    public ReportQuery withGapThreshold(Duration t) {
        return new ReportQuery(period, host, labels, customer, units, t);
    }

    public ReportQuery withUnits(Units u) {
        return new ReportQuery(period, host, labels, customer, u, gapThreshold);
    }
}
