package org.pfmeter.pf.model;

/** The hard limits (DIOCGETLIMIT for every {@code PF_LIMIT_*}); {@link PfLimit#UNLIMITED} means none. */
public record Limits(EnumCounters<PfLimit> values) {

    public long get(PfLimit limit) {
        return values.get(limit);
    }

    public boolean isUnlimited(PfLimit limit) {
        return values.get(limit) == PfLimit.UNLIMITED;
    }
}
