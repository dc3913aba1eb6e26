package org.pfmeter.pf.model;

/**
 * Second index of {@code pfrts_packets[PFR_DIR_MAX][PFR_OP_TABLE_MAX]}: {@code PFR_OP_BLOCK},
 * {@code PFR_OP_MATCH}, {@code PFR_OP_PASS}, {@code PFR_OP_XPASS} (= PFR_OP_ADDR_MAX).
 */
public enum TableAction implements KernelName {
    BLOCK("block"),
    MATCH("match"),
    PASS("pass"),
    XPASS("xpass");

    private final String kernelName;

    TableAction(String kernelName) {
        this.kernelName = kernelName;
    }

    @Override
    public String kernelName() {
        return kernelName;
    }
}
