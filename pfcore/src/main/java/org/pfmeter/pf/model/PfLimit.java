package org.pfmeter.pf.model;

/** {@code PF_LIMIT_*}: the hard limits read with DIOCGETLIMIT, named as {@code pfctl -s memory} names them. */
public enum PfLimit implements KernelName {
    STATES("states"),
    SRC_NODES("src-nodes"),
    FRAGS("frags"),
    TABLES("tables"),
    TABLE_ENTRIES("table-entries"),
    PKTDELAY_PKTS("pktdelay-pkts"),
    ANCHORS("anchors");

    /** The value the kernel reports for "no limit" (UINT_MAX). */
    public static final long UNLIMITED = 0xffff_ffffL;

    private final String kernelName;

    PfLimit(String kernelName) {
        this.kernelName = kernelName;
    }

    @Override
    public String kernelName() {
        return kernelName;
    }
}
