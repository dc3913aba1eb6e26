package org.pfmeter.accounting.billing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.pfmeter.pf.model.LabelKey;

/**
 * A billing report: per label and per customer, for one billing month. Immutable; write it with
 * {@link CsvReportWriter} or {@link JsonReportWriter}.
 *
 * @param asOf         the time the report was made (the clock's)
 * @param complete     the period has ended: the figures are final
 * @param slots        5-minute slots in the whole period
 * @param elapsedSlots slots that have started by {@code asOf} (the percentile's sample count; equal
 *                     to {@code slots} for a complete period)
 * @param hosts        the hosts whose data is included
 * @param labels       one line per label, sorted by qualified name
 * @param customers    one line per customer that has a label in the report, sorted by name
 * @param unassigned   labels no customer mapping matched
 */
public record BillingReport(
        BillingPeriod period,
        Instant asOf,
        boolean complete,
        Units units,
        int slots,
        int elapsedSlots,
        List<String> hosts,
        List<LabelLine> labels,
        List<CustomerLine> customers,
        List<LabelKey> unassigned) {

    public BillingReport {
        hosts = List.copyOf(hosts);
        labels = List.copyOf(labels);
        customers = List.copyOf(customers);
        unassigned = List.copyOf(unassigned);
    }

    /**
     * @param projection for an incomplete period, the month-to-date volumes projected to its end
     */
    public record LabelLine(LabelKey label, Optional<String> customer, List<String> hosts, Usage usage,
                            Optional<Projection> projection) {
        public LabelLine {
            hosts = List.copyOf(hosts);
        }

        /** {@code label} or {@code anchor:label}. */
        public String name() {
            return label.toString();
        }
    }

    /** A customer's labels added up slot by slot, so its percentile is that of its combined traffic. */
    public record CustomerLine(String customer, List<LabelKey> labels, Usage usage, Optional<Projection> projection) {
        public CustomerLine {
            labels = List.copyOf(labels);
        }
    }

    /** How the figures were computed, for the report's header. */
    public static final String METHOD = "95th percentile of 5-minute rates (bytes*8/300 bit/s; a slot without data counts"
            + " as 0; the top floor(n/20) of the n elapsed slots discarded, the highest remaining billed); p95 = max(p95 in,"
            + " p95 out); projection = month-to-date * period length / elapsed time";
}
