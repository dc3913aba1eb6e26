package org.pfmeter.exporter.prometheus;

import static org.pfmeter.exporter.prometheus.Families.u;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import org.pfmeter.pf.model.KernelCounters;
import org.pfmeter.pf.model.PfLimit;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.TableStats;

/**
 * The hard limits (DIOCGETLIMIT, {@code pfctl -s memory}) and what is in use of each, with the same
 * labels so that usage ÷ limit is one division: {@code pf_limit_usage / pf_limit}.
 *
 * <pre>
 * pf_limit{limit="states"} 10000.0
 * pf_limit_usage{limit="states"} 812.0
 * pf_limit{limit="pktdelay_pkts"} 10000.0
 * </pre>
 *
 * Usage comes from the same snapshot's other subsystems: states, src-nodes and frags from the
 * status, tables and table-entries from the tables (tables listed, addresses summed), anchors from
 * the rule walk. A limit pf does not enforce (UINT_MAX) is +Inf.
 */
final class LimitsCollector implements SubsystemCollector {

    static final String LIMIT = "pf_limit";
    static final String USAGE = "pf_limit_usage";

    @Override
    public List<MetricFamilySamples> collect(Scrape scrape) {
        Families f = new Families();
        Family limit = f.gauge(LIMIT, "Hard limit per pool (pfctl -s memory); +Inf when unlimited", "limit");
        Family usage = f.gauge(USAGE, "Entries in use of the pool that pf_limit limits", "limit");
        scrape.snapshot().ifPresent(s -> {
            s.limits().value().ifPresent(l -> {
                for (KernelCounters.Entry p : l.values().entries()) {
                    limit.addMetric(List.of(p.name().labelValue()),
                            p.value() == PfLimit.UNLIMITED ? Double.POSITIVE_INFINITY : u(p.value()));
                }
            });
            usage(s, usage);
        });
        return f.result(scrape);
    }

    private static void usage(PfSnapshot s, Family usage) {
        s.status().value().ifPresent((Status st) -> {
            usage.addMetric(List.of(PfLimit.STATES.labelValue()), u(st.states()));
            usage.addMetric(List.of(PfLimit.SRC_NODES.labelValue()), u(st.srcNodes()));
            st.fragments().ifPresent(v -> usage.addMetric(List.of(PfLimit.FRAGS.labelValue()), u(v)));
        });
        s.tables().value().ifPresent(tables -> {
            usage.addMetric(List.of(PfLimit.TABLES.labelValue()), tables.size());
            long entries = 0;
            for (TableStats t : tables) {
                entries += t.addresses();
            }
            usage.addMetric(List.of(PfLimit.TABLE_ENTRIES.labelValue()), u(entries));
        });
        s.rules().value().ifPresent((Rules r) -> usage.addMetric(List.of(PfLimit.ANCHORS.labelValue()),
                r.anchors().stream().filter(a -> !a.isEmpty()).count()));
    }
}
