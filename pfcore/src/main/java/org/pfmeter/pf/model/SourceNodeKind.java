package org.pfmeter.pf.model;

/**
 * What a source tracking node tracks: the kernel's {@code enum pf_sn_types} (net/pfvar.h), in its
 * order ({@code PF_SN_MAX} = 4). {@code none} is a rule's {@code source-track} node; the others remember
 * the address a {@code sticky-address} pool chose for the source ({@code nat-to}, {@code rdr-to},
 * {@code route-to}).
 */
public enum SourceNodeKind implements KernelName {
    NONE("none"),
    NAT("nat"),
    RDR("rdr"),
    ROUTE("route");

    private final String kernelName;

    SourceNodeKind(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The enum's name without {@code PF_SN_}, lower case: "none", "nat", "rdr", "route". */
    @Override
    public String kernelName() {
        return kernelName;
    }

    /** What pfctl -s Sources prints before the translated address. */
    public String pfctlWord() {
        return switch (this) {
            case NONE -> "";
            case NAT -> "nat-to";
            case RDR -> "rdr-to";
            case ROUTE -> "route-to";
        };
    }
}
