package org.pfmeter.pf.model;

/**
 * The counters of one rule (DIOCGETRULE). Packets and bytes count both directions of the states the
 * rule created; index 0 of the kernel's arrays is "in", 1 is "out".
 *
 * @param anchor     anchor path, "" for the main ruleset
 * @param nr         the rule's number within its ruleset
 * @param anchorCall the anchor this rule calls, "" if none
 * @param srcNodes   the source tracking nodes the rule holds now (pf_rule.src_nodes): what ties a
 *                   node's rule number to one rule when several rulesets use that number
 */
public record RuleCounters(
        String anchor,
        int nr,
        String label,
        String anchorCall,
        long evaluations,
        long packetsIn,
        long packetsOut,
        long bytesIn,
        long bytesOut,
        long statesCur,
        long statesTotal,
        long srcNodes) {

    /** A rule holding no source tracking nodes. */
    public RuleCounters(String anchor, int nr, String label, String anchorCall, long evaluations, long packetsIn,
                        long packetsOut, long bytesIn, long bytesOut, long statesCur, long statesTotal) {
        this(anchor, nr, label, anchorCall, evaluations, packetsIn, packetsOut, bytesIn, bytesOut, statesCur, statesTotal, 0);
    }
}
