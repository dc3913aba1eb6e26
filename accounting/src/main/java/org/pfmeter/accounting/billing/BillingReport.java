package org.pfmeter.accounting.billing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.pf.model.LabelKey;

/**
 * A billing report: per label and per customer, for one billing month. Immutable; write it with
 * {@link CsvReportWriter} or {@link JsonReportWriter}.
 *
 * @param asOf         the time the report was made (the clock's)
 * @param complete     the period has ended and every slot of it has data: the figures are final and
 *                     whole ({@code ended && coverage.full()})
 * @param ended        the period has ended (what {@code complete} meant before coverage was measured)
 * @param slots        5-minute slots in the whole period
 * @param elapsedSlots slots that have started by {@code asOf}; equal to {@code slots} for an ended
 *                     period
 * @param coverage     the slots with data of the report as a whole: a slot counts when every host
 *                     of the report that was polled in the period was polled in it
 * @param gapThreshold gaps this long or shorter are not listed
 * @param hosts        the hosts whose data is included
 * @param labels       one line per label, sorted by qualified name
 * @param customers    one line per customer that has a label in the report, sorted by name
 * @param unassigned   labels no customer mapping matched
 */
public record BillingReport(
        BillingPeriod period,
        Instant asOf,
        boolean complete,
        boolean ended,
        Units units,
        int slots,
        int elapsedSlots,
        Coverage coverage,
        java.time.Duration gapThreshold,
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
     * @param hosts      the hosts with traffic of the label in the period
     * @param coverage   the slots in which every host that knows the label (and was polled in the
     *                   period) was polled, or in which the label had traffic
     * @param projection for a period not ended, the month-to-date volumes projected to its end
     */
    public record LabelLine(LabelKey label, Optional<String> customer, List<String> hosts, Usage usage,
                            Coverage coverage, Optional<Projection> projection) {
        public LabelLine {
            hosts = List.copyOf(hosts);
        }

        /** {@code label} or {@code anchor:label}, a ':' inside either written {@code \:} ({@link LabelKey#toString()}). */
        public String name() {
            return label.toString();
        }
    }

    /**
     * A customer's labels added up slot by slot, so its percentile is that of its combined traffic;
     * its coverage is over the hosts of all its labels.
     */
    public record CustomerLine(String customer, List<LabelKey> labels, Usage usage, Coverage coverage,
                               Optional<Projection> projection) {
        public CustomerLine {
            labels = List.copyOf(labels);
        }
    }

    /** How the figures were computed, for the report's header. */
    public static final String METHOD = "95th percentile of 5-minute rates (bytes*8/" + SlotGrid.SECONDS + " bit/s) over the n slots with data"
            + " (a polled slot without traffic counts as 0, a slot not polled is left out, not counted as 0); the top"
            + " floor(n/20) discarded, the highest remaining billed; p95 = max(p95 in, p95 out); projection = month-to-date"
            + " * period length / elapsed time";
}
