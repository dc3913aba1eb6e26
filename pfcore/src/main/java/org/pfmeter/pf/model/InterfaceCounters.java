package org.pfmeter.pf.model;

import java.util.List;

/**
 * One {@code struct pfi_kif} from DIOCIGETIFACES: an interface or an interface group.
 *
 * <p>The kernel counts traffic only on interfaces, never on group kifs. For a group, {@code counters}
 * is therefore the sum of its members' counters (members as the kernel's group filter returns them),
 * and {@code members} lists them; for an interface {@code members} is empty.
 *
 * @param flags   {@code pfik_flags} ({@code PFI_IFLAG_SKIP} = 0x100)
 * @param cleared {@code pfik_tzero}: wall-clock seconds when the counters were last cleared
 * @param states  {@code pfik_states}: states referencing the kif (0 when not {@code statesCounted})
 * @param rules   {@code pfik_rules}: rules referencing the kif ({@code pfik_rulerefs} on FreeBSD)
 * @param statesCounted whether the kernel keeps a per-kif state count: FreeBSD's kif has none, and
 *        what a kernel does not report is absent (no sample), never a 0
 */
public record InterfaceCounters(
        String name,
        boolean group,
        List<String> members,
        int flags,
        long cleared,
        long states,
        long rules,
        TrafficCounters counters,
        boolean statesCounted) {

    public static final int PFI_IFLAG_SKIP = 0x0100;

    public InterfaceCounters {
        members = List.copyOf(members);
    }

    /** A kif of a kernel that counts states per kif (OpenBSD). */
    public InterfaceCounters(String name, boolean group, List<String> members, int flags, long cleared, long states,
            long rules, TrafficCounters counters) {
        this(name, group, members, flags, cleared, states, rules, counters, true);
    }

    public boolean skipped() {
        return (flags & PFI_IFLAG_SKIP) != 0;
    }
}
