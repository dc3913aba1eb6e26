package org.pfmeter.pf.model;

/**
 * The counters of every rule carrying one label within one ruleset, added up: the unit that metrics
 * and accounting work in. Sums wrap as the kernel's unsigned 64-bit counters do.
 *
 * @param rules how many rules carry the label in that anchor
 */
public record LabelCounters(
        String anchor,
        String label,
        int rules,
        long evaluations,
        long packetsIn,
        long packetsOut,
        long bytesIn,
        long bytesOut,
        long statesCur,
        long statesTotal) {

    /** The key used by metrics and accounting. */
    public LabelKey key() {
        return new LabelKey(anchor, label);
    }

    public LabelCounters plus(RuleCounters r) {
        return new LabelCounters(anchor, label, rules + 1, evaluations + r.evaluations(),
                packetsIn + r.packetsIn(), packetsOut + r.packetsOut(), bytesIn + r.bytesIn(),
                bytesOut + r.bytesOut(), statesCur + r.statesCur(), statesTotal + r.statesTotal());
    }

    public static LabelCounters empty(String anchor, String label) {
        return new LabelCounters(anchor, label, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
