package org.pfmeter.pf.model;

/**
 * The hard limits (OpenBSD: DIOCGETLIMIT for every {@code PF_LIMIT_*}; FreeBSD: PFNL_CMD_GET_LIMIT),
 * named as {@code pfctl -s memory} names them, in the kernel's {@code PF_LIMIT_*} order. The tables
 * differ (FreeBSD has no "tables" or "pktdelay-pkts" limit, and its "table-entries" is index 3), so a
 * platform's limits carry its own names; {@link PfLimit#UNLIMITED} means none.
 */
public record Limits(KernelCounters values) {

    /** @throws java.util.NoSuchElementException when this kernel has no such limit */
    public long get(PfLimit limit) {
        return values.get(limit);
    }

    /** @throws java.util.NoSuchElementException when this kernel has no such limit */
    public boolean isUnlimited(PfLimit limit) {
        return values.get(limit) == PfLimit.UNLIMITED;
    }

    /** True when this kernel has the limit. */
    public boolean has(PfLimit limit) {
        return values.find(limit.kernelName()).isPresent();
    }
}
