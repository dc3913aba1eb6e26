package org.pfmeter.exporter.accounting;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pfmeter.accounting.bills.BillType;
import org.pfmeter.accounting.bills.PeriodFigures;

/**
 * The current period of each bill (billing.bills), from the figures the ledger's writer computed
 * last ({@link CurrentBillFigures}; a scrape never reads the database). The only label is the bill's
 * name: bills are few, and a customer's reference is free text that stays out of metrics.
 * <pre>
 * pfmeter_bill_used_bytes{bill="acme"} 7.2e11
 * pfmeter_bill_quota_usage_ratio{bill="acme"} 0.72
 * pfmeter_bill_quota_projected_usage_ratio{bill="acme"} 1.08
 * pfmeter_bill_projected_overage_bytes{bill="acme"} 8.0e10
 * pfmeter_bill_percentile_commit_ratio{bill="transit"} 0.93
 * pfmeter_bill_burst_headroom_intervals{bill="transit"} 112
 * pfmeter_bills_figures_age_seconds 42
 * </pre>
 * Quota families exist for quota bills only, commit families for 95th-percentile bills only. Rates are
 * in bytes per second (Prometheus's base unit; the bills file and {@code pfmeter bills} give bit/s).
 */
public final class BillsCollector extends Collector {

    static final String USED = "pfmeter_bill_used_bytes";
    static final String PROJECTED_USED = "pfmeter_bill_projected_used_bytes";
    static final String ELAPSED = "pfmeter_bill_period_elapsed_ratio";
    static final String QUOTA = "pfmeter_bill_quota_bytes";
    static final String QUOTA_USAGE = "pfmeter_bill_quota_usage_ratio";
    static final String QUOTA_PROJECTED = "pfmeter_bill_quota_projected_usage_ratio";
    static final String PROJECTED_OVERAGE = "pfmeter_bill_projected_overage_bytes";
    static final String COMMIT = "pfmeter_bill_commit_bytes_per_second";
    static final String P95 = "pfmeter_bill_percentile_bytes_per_second";
    static final String P95_OVERAGE = "pfmeter_bill_overage_bytes_per_second";
    static final String P95_COMMIT = "pfmeter_bill_percentile_commit_ratio";
    static final String ABOVE = "pfmeter_bill_intervals_above_commit";
    static final String HEADROOM = "pfmeter_bill_burst_headroom_intervals";
    static final String AGE = "pfmeter_bills_figures_age_seconds";
    static final String AS_OF = "pfmeter_bills_figures_as_of_timestamp_seconds";
    static final String FAILURES = "pfmeter_bills_figures_errors_total";

    private final CurrentBillFigures figures;

    public BillsCollector(CurrentBillFigures figures) {
        this.figures = figures;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples> out = new ArrayList<>();
        out.add(new CounterMetricFamily(FAILURES, "Computations of the bills' current figures that failed (the database could not be read).",
                figures.failures()));
        Optional<CurrentBillFigures.Computed> last = figures.last();
        if (last.isEmpty()) {
            return out;
        }
        CurrentBillFigures.Computed c = last.get();
        out.add(new GaugeMetricFamily(AGE, "Seconds since the bills' figures were computed (at most once a minute, after a written poll).",
                figures.age(c).toMillis() / 1000.0));
        out.add(new GaugeMetricFamily(AS_OF, "Unix time the bills' figures are as of: the last poll stored before they were computed.",
                c.asOf().toEpochMilli() / 1000.0));
        List<String> bill = List.of("bill");
        GaugeMetricFamily used = new GaugeMetricFamily(USED, "Bytes the bill counts in its current period so far (a quota's direction; else in + out).", bill);
        GaugeMetricFamily projected = new GaugeMetricFamily(PROJECTED_USED,
                "The bill's bytes projected to the end of its current period at the rate so far.", bill);
        GaugeMetricFamily elapsed = new GaugeMetricFamily(ELAPSED, "The share of the bill's current period that has passed.", bill);
        GaugeMetricFamily quota = new GaugeMetricFamily(QUOTA, "The bytes a quota bill includes per period.", bill);
        GaugeMetricFamily quotaUsage = new GaugeMetricFamily(QUOTA_USAGE, "Quota bills: bytes used so far / the quota.", bill);
        GaugeMetricFamily quotaProjected = new GaugeMetricFamily(QUOTA_PROJECTED,
                "Quota bills: bytes projected to the period end / the quota.", bill);
        GaugeMetricFamily overage = new GaugeMetricFamily(PROJECTED_OVERAGE,
                "Quota bills: bytes projected beyond the quota at the period end.", bill);
        GaugeMetricFamily commit = new GaugeMetricFamily(COMMIT, "95th-percentile bills: the committed rate (the bills file gives it in bit/s; here bytes per second).", bill);
        GaugeMetricFamily p95 = new GaugeMetricFamily(P95, "95th-percentile bills: the 95th percentile of the current period so far.", bill);
        GaugeMetricFamily p95Commit = new GaugeMetricFamily(P95_COMMIT,
                "95th-percentile bills: the 95th percentile so far / the committed rate.", bill);
        GaugeMetricFamily p95Overage = new GaugeMetricFamily(P95_OVERAGE,
                "95th-percentile bills: the 95th percentile so far above the committed rate (0 at or below it).", bill);
        GaugeMetricFamily above = new GaugeMetricFamily(ABOVE,
                "95th-percentile bills: 5-minute intervals of the current period above the commit.", bill);
        GaugeMetricFamily headroom = new GaugeMetricFamily(HEADROOM,
                "95th-percentile bills: 5-minute intervals that may still be above the commit this period before the 95th percentile is.", bill);
        for (PeriodFigures f : c.current()) {
            List<String> v = List.of(f.bill());
            used.addMetric(v, f.usedBytes());
            projected.addMetric(v, f.projectedUsedBytes());
            elapsed.addMetric(v, f.elapsedFraction());
            if (f.type() instanceof BillType.Quota q) {
                quota.addMetric(v, q.quotaBytes());
                quotaUsage.addMetric(v, (double) f.usedBytes() / q.quotaBytes());
                quotaProjected.addMetric(v, (double) f.projectedUsedBytes() / q.quotaBytes());
                overage.addMetric(v, f.projectedOverageBytes().getAsLong());
            } else if (f.type() instanceof BillType.Percentile95 p) {
                commit.addMetric(v, p.commitBitsPerSecond() / 8.0);
                p95.addMetric(v, f.p95BitsPerSecond() / 8);
                p95Commit.addMetric(v, f.p95BitsPerSecond() / p.commitBitsPerSecond());
                p95Overage.addMetric(v, f.overageBitsPerSecond() / 8);
                above.addMetric(v, f.aboveCommit());
                headroom.addMetric(v, f.burstHeadroom());
            }
        }
        for (GaugeMetricFamily g : List.of(used, projected, elapsed, quota, quotaUsage, quotaProjected, overage, commit, p95, p95Commit,
                p95Overage, above, headroom)) {
            if (!g.samples.isEmpty()) {
                out.add(g);
            }
        }
        return out;
    }
}
