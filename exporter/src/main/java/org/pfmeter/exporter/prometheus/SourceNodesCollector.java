package org.pfmeter.exporter.prometheus;

import io.prometheus.client.Collector.MetricFamilySamples;
import java.util.List;
import org.pfmeter.pf.model.SourceNodeGroup;

/**
 * Source tracking nodes (DIOCGETSRCNODES, {@code pfctl -s Sources}) per (anchor, label, kind) of the
 * rule they belong to; {@code kind} is the kernel's {@code pf_sn_types} name: {@code none} for
 * {@code source-track}, {@code nat}, {@code rdr}, {@code route} for sticky-address pools. Their
 * total and limit are {@code pf_limit_usage}/{@code pf_limit}{@code {limit="src_nodes"}}; the
 * sources themselves (addresses) are only in JMX and {@code pfmeter show sources}. Above
 * {@code source-nodes.max} nodes the breakdown is skipped and only the skipped gauge says so.
 *
 * <pre>
 * pf_source_nodes{anchor="",label="ssh",kind="none"} 41.0
 * pf_source_node_states{anchor="",label="ssh",kind="none"} 77.0
 * pf_source_node_connections{anchor="",label="ssh",kind="none"} 60.0
 * pf_source_nodes_breakdown_skipped 0.0
 * </pre>
 */
final class SourceNodesCollector implements SubsystemCollector {

    static final String NODES = "pf_source_nodes";
    static final String STATES = "pf_source_node_states";
    static final String CONNECTIONS = "pf_source_node_connections";
    static final String UNATTRIBUTED = "pf_source_nodes_unattributed";
    static final String SKIPPED = "pf_source_nodes_breakdown_skipped";
    static final String BOUND = "pf_source_nodes_breakdown_max";

    @Override
    public List<MetricFamilySamples> collect(Scrape scrape) {
        Families f = new Families();
        Family nodes = f.gauge(NODES, "Source tracking nodes of the rules with this anchor and label, by kind", "anchor", "label", "kind");
        Family states = f.gauge(STATES, "States held by those source tracking nodes", "anchor", "label", "kind");
        Family connections = f.gauge(CONNECTIONS, "TCP connections held by those source tracking nodes "
                + "(counted for rules with max-src-conn or max-src-conn-rate)", "anchor", "label", "kind");
        Family unattributed = f.gauge(UNATTRIBUTED, "Source tracking nodes whose rule number matched no single rule read "
                + "in the same poll (counted under anchor \"\" and label \"\")");
        Family skipped = f.gauge(SKIPPED, "1 when there were more source tracking nodes than source-nodes.max and "
                + "the breakdown was skipped");
        Family bound = f.gauge(BOUND, "source-nodes.max: above this many source tracking nodes the breakdown is skipped");
        scrape.snapshot().flatMap(s -> s.sourceNodes().value()).ifPresent(n -> {
            for (SourceNodeGroup g : scrape.limits().sourceNodeGroups(n.groups())) {
                List<String> key = List.of(g.anchor(), g.label(), g.kind().kernelName());
                nodes.addMetric(key, g.nodes());
                states.addMetric(key, g.states());
                connections.addMetric(key, g.connections());
            }
            skipped.addMetric(List.of(), n.skipped() ? 1 : 0);
            bound.addMetric(List.of(), n.bound());
            if (!n.skipped()) {
                unattributed.addMetric(List.of(), n.unattributed());
            }
        });
        return f.result(scrape);
    }
}
