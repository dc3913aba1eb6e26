package org.pfmeter.pf.model;

/**
 * {@code pf_status.lcounters[LCNT_MAX]}: how often a limit was hit. Order and names are those of
 * pfvar.h's {@code LCNT_*} defines and {@code LCNT_NAMES}.
 */
public enum LimitCounter implements KernelName {
    STATES("max states per rule"),
    SRC_STATES("max-src-states"),
    SRC_NODES("max-src-nodes"),
    SRC_CONN("max-src-conn"),
    SRC_CONN_RATE("max-src-conn-rate"),
    OVERLOAD_TABLE("overload table insertion"),
    OVERLOAD_FLUSH("overload flush states"),
    SYNFLOODS("synfloods detected"),
    SYNCOOKIES_SENT("syncookies sent"),
    SYNCOOKIES_VALID("syncookies validated");

    private final String kernelName;

    LimitCounter(String kernelName) {
        this.kernelName = kernelName;
    }

    @Override
    public String kernelName() {
        return kernelName;
    }
}
