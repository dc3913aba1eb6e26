package org.pfmeter.pf.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The faults the simulated pf can inject, each reachable from tests ({@link SimulatedPf#inject}) and
 * from the command line ({@code --sim-fault NAME}, names as {@link #cliName()}).
 */
public enum Fault {
    /** The next rule walk sees EBUSY from DIOCGETRULE in its middle, as when a ruleset is loaded mid-walk. */
    BUSY_RULE_WALK,
    /** Every rule walk answers EBUSY until cleared: exhausts the reader's bounded restarts. */
    BUSY_ALWAYS,
    /** A new ruleset is loaded: new pf_chksum, every rule counter back to zero, open tickets stale. */
    RULESET_RELOAD,
    /** Rule, interface and table counters are zeroed in place (pfctl -z), checksum unchanged. */
    ZERO_COUNTERS,
    /** An interface (and its kif) vanishes. */
    INTERFACE_VANISH,
    /** A new interface appears. */
    INTERFACE_APPEAR,
    /** Every ioctl answers EACCES until cleared (descriptor without permission, securelevel). */
    EACCES,
    /** The kernel speaks another release's ABI: requests of the caller's release answer ENOTTY until cleared. */
    ABI_MISMATCH,
    /** The state table climbs to its limit over the following simulated minutes, then stays there until cleared. */
    STATE_RAMP,
    /** pf is restarted: disabled and enabled again, new {@code since}, status counters back to zero. */
    PF_RESTART;

    /** "busy-rule-walk", "ruleset-reload", …. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Fault parse(String s) {
        for (Fault f : values()) {
            if (f.cliName().equals(s) || f.name().equalsIgnoreCase(s)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown simulator fault '" + s + "'; known faults: "
                + Arrays.stream(values()).map(Fault::cliName).collect(Collectors.joining(", ")));
    }
}
