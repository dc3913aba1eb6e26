package org.pfmeter.pf.model;

/**
 * The counters of one rule (DIOCGETRULE). Packets and bytes count both directions of the states the
 * rule created; index 0 of the kernel's arrays is "in", 1 is "out".
 *
 * @param anchor     anchor path, "" for the main ruleset
 * @param nr         the rule's number within its ruleset
 * @param anchorCall the anchor this rule calls, "" if none
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
        long statesTotal) {
}
