package org.pfmeter.pf.model;

/**
 * The source tracking nodes of one (anchor, label, kind): how many, and the states and connections
 * they hold. Rules without a label count under label "".
 *
 * @param anchor      anchor path of the rule the nodes belong to, "" for the main ruleset
 * @param label       that rule's label, "" if none
 * @param nodes       how many nodes
 * @param states      states the nodes hold ({@code pf_src_node.states} summed)
 * @param connections TCP connections the nodes hold ({@code pf_src_node.conn} summed; counted only
 *                    for rules with {@code max-src-conn} or {@code max-src-conn-rate})
 */
public record SourceNodeGroup(String anchor, String label, SourceNodeKind kind, long nodes, long states, long connections) {

    /** Sorts by (anchor, label, kind). */
    public static final java.util.Comparator<SourceNodeGroup> ORDER = java.util.Comparator.comparing(SourceNodeGroup::anchor)
            .thenComparing(SourceNodeGroup::label).thenComparing(SourceNodeGroup::kind);
}
