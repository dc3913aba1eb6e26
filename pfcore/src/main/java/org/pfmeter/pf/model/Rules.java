package org.pfmeter.pf.model;

import java.util.List;

/**
 * What one walk over the main ruleset and every anchor read.
 *
 * @param anchors every anchor path found, depth first, "" (main) first
 * @param rules   every rule, in walk order
 * @param labels  per (anchor, label), for rules with a non-empty label, sorted by key
 */
public record Rules(List<String> anchors, List<RuleCounters> rules, List<LabelCounters> labels) {

    public Rules {
        anchors = List.copyOf(anchors);
        rules = List.copyOf(rules);
        labels = List.copyOf(labels);
    }
}
