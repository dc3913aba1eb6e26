package org.pfmeter.exporter.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pfmeter.accounting.billing.BillingReport;
import org.pfmeter.accounting.billing.Coverage;
import org.pfmeter.exporter.config.Durations;

/**
 * The stderr warning of {@code billing} and {@code usage} when a report has slots without data, so
 * that nobody sends a bill for a month the firewall was only partly polled without knowing:
 *
 * <pre>
 * pfmeter: warning: billing 2026-10: polled 12.8% of the period (1146 of 8928 slots: 4.0 of 31.0 days); gaps over 1h:
 *   2026-10-01T00:00Z..2026-10-28T00:00Z; the 95th percentile covers only the polled slots
 * </pre>
 * (one line). The report's output itself carries the same figures.
 */
final class CoverageWarnings {

    private static final double SLOTS_A_DAY = 288;

    private CoverageWarnings() {
    }

    /**
     * One line for the report as a whole when it misses data, and one for each label or customer
     * whose coverage differs from the report's (a label of a host the others do not have).
     */
    static void billing(BillingReport r, PrintWriter err) {
        String month = r.period().name();
        if (!r.coverage().full()) {
            err.println(line("billing " + month, r.coverage(), r.gapThreshold()));
        }
        for (BillingReport.CustomerLine c : r.customers()) {
            if (!c.coverage().full() && !c.coverage().equals(r.coverage())) {
                err.println(line("customer " + c.customer() + ": " + month, c.coverage(), r.gapThreshold()));
            }
        }
        for (BillingReport.LabelLine l : r.labels()) {
            if (!l.coverage().full() && !l.coverage().equals(r.coverage())) {
                err.println(line("label " + l.name() + ": " + month, l.coverage(), r.gapThreshold()));
            }
        }
        err.flush();
    }

    /** The line for one subject's samples, when they miss data. */
    static void usage(String subject, Coverage c, Duration threshold, PrintWriter err) {
        if (!c.full()) {
            err.println(line(subject, c, threshold));
            err.flush();
        }
    }

    static String line(String subject, Coverage c, Duration threshold) {
        StringBuilder b = new StringBuilder("pfmeter: warning: ").append(subject).append(": polled ")
                .append(String.format(Locale.ROOT, "%.1f%% of the period (%d of %d slots: %.1f of %.1f days)",
                        100 * c.ratio(), c.polledSlots(), c.elapsedSlots(), c.polledSlots() / SLOTS_A_DAY,
                        c.elapsedSlots() / SLOTS_A_DAY));
        String over = Durations.format(threshold);
        if (c.gaps().isEmpty()) {
            b.append("; no gap over ").append(over);
        } else {
            List<String> gaps = new ArrayList<>();
            c.gaps().forEach(g -> gaps.add(g.toString()));
            b.append("; gaps over ").append(over).append(": ").append(String.join(" ", gaps));
        }
        return b.append("; the 95th percentile covers only the polled slots").toString();
    }
}
