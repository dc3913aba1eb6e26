package org.pfmeter.pf.model;

/**
 * The counters of the interface named by {@code set loginterface} ({@code pf_status.ifname},
 * {@code pcounters}, {@code bcounters}). The kernel keeps bytes only per af × direction; they are
 * stored here under {@link Action#PASS} with {@link Action#BLOCK} zero.
 */
public record LogInterface(String ifname, TrafficCounters counters) {

    /** True when no loginterface is set: the kernel then leaves every counter at zero. */
    public boolean isUnset() {
        return ifname.isEmpty();
    }

    public long bytes(AddressFamily af, Direction dir) {
        return counters.bytes(af, dir, Action.PASS);
    }
}
