package org.pfmeter.pf.model;

/**
 * Which clock {@code Status.since} (when pf was last enabled or disabled) is read on.
 */
public enum SinceClock {
    /**
     * Seconds of the kernel's uptime (OpenBSD's {@code pf_status.since}, {@code getuptime()}): exact,
     * and unchanged until pf is enabled or disabled again. The start time is boot time + since.
     */
    UPTIME,
    /**
     * Unix time in seconds (FreeBSD's netlink {@code PF_GS_SINCE} in the 15-based and OPNsense's
     * 14-based pf_nl.c, computed at every call as {@code time_second - (time_uptime - since)}): it is
     * the start time itself, and two calls may differ by a second without pf restarting, and by a
     * clock step. The FreeBSD reader holds it steady within that second (see pfcore/README.md).
     */
    WALL_CLOCK
}
