package org.pfmeter.pf.model;

import java.util.Comparator;

/**
 * One source tracking node as DIOCGETSRCNODES copies it out, kept only among the top N (by states):
 * it holds addresses, so it goes to JMX and {@code pfmeter show}, never to a Prometheus label.
 *
 * @param address     the source address (pf_src_node.addr), as inet_ntop prints it
 * @param translated  the address a sticky-address pool chose (raddr), "" for a source-track node
 * @param ruleNr      the number of the rule within its ruleset (pf_src_node.rule.nr)
 * @param anchor      anchor path of that rule, as resolved through the rules read in the same poll
 * @param label       that rule's label
 * @param packets     packets of the node's states, both directions
 * @param bytes       bytes of the node's states, both directions
 * @param ageSeconds  seconds since the node was created
 * @param expiresSeconds seconds until the node expires (0 while it holds states)
 * @param rateCount   pf_src_node.conn_rate.count (the connection rate estimate, in thousandths)
 * @param rateSeconds pf_src_node.conn_rate.seconds
 */
public record SourceNode(
        String address,
        String translated,
        AddressFamily family,
        SourceNodeKind kind,
        long ruleNr,
        String anchor,
        String label,
        long states,
        long connections,
        long packets,
        long bytes,
        long ageSeconds,
        long expiresSeconds,
        long rateCount,
        long rateSeconds) {

    /** Most states first; ties by connections, then kind, address and translated address, so the list is stable. */
    public static final Comparator<SourceNode> BY_STATES = Comparator.comparingLong(SourceNode::states).reversed()
            .thenComparing(Comparator.comparingLong(SourceNode::connections).reversed())
            .thenComparing(SourceNode::kind)
            .thenComparing(SourceNode::address)
            .thenComparing(SourceNode::translated);
}
