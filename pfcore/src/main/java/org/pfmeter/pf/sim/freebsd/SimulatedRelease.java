package org.pfmeter.pf.sim.freebsd;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.pfmeter.pf.abi.FreeBsdRelease;

/**
 * What the simulator speaks for each FreeBSD release ({@link FreeBsdRelease}), on the netlink side.
 * The release tags could not be read (see pfcore/README.md, "Sources read"), so each profile is an
 * inference from the trees that could, documented in the README ("The simulated FreeBSD"); where
 * {@link FreeBsdRelease#commands()} lists only the commands established for certain, the simulator
 * registers what it infers the release has:
 * <ul>
 *   <li>{@code freebsd-15.0}: pf_nl.c as on main (0795e9b5) without the state/source limiters
 *       (38–47 came to main after stable/15 branched): commands 1–37, GET_STATUS with
 *       PF_GS_NCOUNTERS and PF_GS_FRAGMENTS, GETRULE with every attribute up to PF_RT_EXPTIME 86.</li>
 *   <li>{@code freebsd-14.3}: the command list of OPNsense's 14-based tree (1–33; OPNsense 25.7 runs
 *       14.3), GET_STATUS without NCOUNTERS and FRAGMENTS (as in the 15-based pfSense tree and the
 *       14-based trees read), GETRULE without the attributes numbered 75 and up (the NAT/route pool
 *       split, source-node kinds, packet rate, ICMP type as u16 and expiry came with 15).</li>
 * </ul>
 * Both send {@code since} as wall-clock time and the packet counters as 2x2x2.
 *
 * @param release     the release simulated
 * @param lastCommand the highest command registered (1 to it, none skipped)
 * @param familyId    the id the "pfctl" family gets: 16 + its slot in the order families register
 *                    (nlctrl 0, then the ones loaded before pf). Not a fixed number on a real system;
 *                    readers resolve it by name, and the two releases use different ids so that a
 *                    reader remembering one is caught.
 * @param fifteen     GET_STATUS sends PF_GS_NCOUNTERS and PF_GS_FRAGMENTS; GETRULE the attributes 75 to 86
 */
public record SimulatedRelease(FreeBsdRelease release, int lastCommand, int familyId, boolean fifteen) {

    /** The simulator's profile of {@code release}. */
    public static SimulatedRelease of(FreeBsdRelease release) {
        return switch (release) {
            case FREEBSD_14_3 -> new SimulatedRelease(release, 33, 17, false);
            case FREEBSD_15_0 -> new SimulatedRelease(release, 37, 18, true);
        };
    }

    /** The commands pf registers in this simulated release: 1 to the last one, none skipped. */
    public Set<Integer> commands() {
        Set<Integer> s = new TreeSet<>();
        for (int i = 1; i <= lastCommand; i++) {
            s.add(i);
        }
        return Collections.unmodifiableSet(s);
    }
}
