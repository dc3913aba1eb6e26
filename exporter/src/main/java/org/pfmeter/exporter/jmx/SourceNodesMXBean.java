package org.pfmeter.exporter.jmx;

import java.util.List;
import java.util.Map;

/**
 * {@code org.pfmeter:type=SourceNodes}: pf's source tracking nodes from the latest poll
 * (DIOCGETSRCNODES), counted per rule and kind, and the sources holding the most states, with their
 * addresses (which is why they are here and not in Prometheus). Values are point-in-time: each
 * getter reads the snapshot the last poll left, and all of one poll agree.
 */
public interface SourceNodesMXBean {

    /** Nodes in the kernel ({@code pfctl -s Sources | wc -l}); -1 before the first poll that read them. */
    long getNodes();

    /** True when there were more nodes than {@link #getBreakdownMax()}: only the count was read. */
    boolean isBreakdownSkipped();

    /** {@code source-nodes.max}. */
    long getBreakdownMax();

    /** States held by all nodes. */
    long getStates();

    /** TCP connections held by all nodes. */
    long getConnections();

    /** Nodes whose rule number matched no single rule of the same poll. */
    long getUnattributed();

    /** Nodes per kind (the kernel's pf_sn_types names: none, nat, rdr, route). */
    Map<String, Long> getNodesByKind();

    /** Nodes, states and connections per (anchor, label, kind). */
    List<SourceNodeCount> getByRule();

    /** The sources holding the most states ({@code source-nodes.top} of them), most first. */
    List<SourceNodeSource> getTopSources();
}
