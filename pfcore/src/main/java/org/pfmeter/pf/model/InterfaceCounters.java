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
 * @param states  {@code pfik_states}: states referencing the kif
 * @param rules   {@code pfik_rules}: rules referencing the kif
 */
public record InterfaceCounters(
        String name,
        boolean group,
        List<String> members,
        int flags,
        long cleared,
        long states,
        long rules,
        TrafficCounters counters) {

    public static final int PFI_IFLAG_SKIP = 0x0100;

    public InterfaceCounters {
        members = List.copyOf(members);
    }

    public boolean skipped() {
        return (flags & PFI_IFLAG_SKIP) != 0;
    }
}
