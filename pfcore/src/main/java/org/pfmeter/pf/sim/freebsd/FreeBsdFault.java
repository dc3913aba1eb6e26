package org.pfmeter.pf.sim.freebsd;

/**
 * Faults of the simulated FreeBSD's netlink side (the kernel-wide ones, a ruleset reload, zeroed
 * counters, a pf restart, a state ramp, are {@link org.pfmeter.pf.sim.Fault}s and act on both).
 */
public enum FreeBsdFault {
    /**
     * pf is not loaded: the controller answers CTRL_CMD_GETFAMILY for "pfctl" with ENOENT, and a
     * request to the family's old id with EOPNOTSUPP ({@code genl_handle_message}: no such family).
     */
    FAMILY_MISSING,
    /**
     * The socket's credential lacks PRIV_NETINET_PF (an unprivileged user, a jail without pf): every pf
     * command answers EPERM; the controller still answers.
     */
    EPERM,
    /**
     * The next GETRULE walk sees the ruleset replaced after its first rule: a real reload (counters
     * back to zero, what no reader saw booked as discarded), so the walk's ticket is stale and
     * GETRULE answers EBUSY, as pf_handle_getrule does; one-shot. The rows that walk had returned
     * count as unseen (a reader abandons the walk on EBUSY): with pfmeter's reader, which walks the
     * main ruleset first, the ground truth stays exact.
     */
    RELOAD_MID_DUMP
}
