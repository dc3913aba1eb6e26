package org.pfmeter.pf.model;

import java.util.List;

/**
 * The source tracking nodes of one poll (DIOCGETSRCNODES), aggregated while they were decoded: no
 * node is kept except the top N by states.
 *
 * @param nodes         how many nodes the kernel has ({@code pfctl -s Sources | wc -l})
 * @param bound         the configured bound above which the breakdown is skipped
 * @param skipped       true when {@code nodes} exceeded {@code bound}: only the kernel's count was
 *                      asked (the size query), and the groups and top list are empty
 * @param groups        per (anchor, label, kind), sorted by {@link SourceNodeGroup#ORDER}
 * @param unattributed  nodes whose rule number matched no single rule read in the same poll (a
 *                      ruleset reloaded in between, or the same number in several anchors with
 *                      source-tracking rules); they count under anchor "" and label ""
 * @param top           the nodes holding the most states, best first ({@link SourceNode#BY_STATES})
 */
public record SourceNodes(long nodes, long bound, boolean skipped, List<SourceNodeGroup> groups, long unattributed,
                          List<SourceNode> top) {

    public SourceNodes {
        groups = List.copyOf(groups);
        top = List.copyOf(top);
    }

    /** The breakdown was skipped: only the count is known. */
    public static SourceNodes countOnly(long nodes, long bound) {
        return new SourceNodes(nodes, bound, true, List.of(), 0, List.of());
    }

    /** States held by all nodes (0 when the breakdown was skipped). */
    public long states() {
        return groups.stream().mapToLong(SourceNodeGroup::states).sum();
    }

    /** Connections held by all nodes (0 when the breakdown was skipped). */
    public long connections() {
        return groups.stream().mapToLong(SourceNodeGroup::connections).sum();
    }

    /** Nodes of one kind (0 when the breakdown was skipped). */
    public long nodes(SourceNodeKind kind) {
        return groups.stream().filter(g -> g.kind() == kind).mapToLong(SourceNodeGroup::nodes).sum();
    }
}
