package org.pfmeter.pf.model;

/**
 * {@code pf_status.counters[PFRES_MAX]}: why pf matched or dropped a packet. Order and names are
 * those of pfvar.h's {@code PFRES_*} defines and {@code PFRES_NAMES} (identical in 7.8 – 8.0).
 */
public enum Reason implements KernelName {
    MATCH("match"),
    BAD_OFFSET("bad-offset"),
    FRAGMENT("fragment"),
    SHORT("short"),
    NORMALIZE("normalize"),
    MEMORY("memory"),
    BAD_TIMESTAMP("bad-timestamp"),
    CONGESTION("congestion"),
    IP_OPTION("ip-option"),
    PROTO_CKSUM("proto-cksum"),
    STATE_MISMATCH("state-mismatch"),
    STATE_INSERT("state-insert"),
    STATE_LIMIT("state-limit"),
    SRC_LIMIT("src-limit"),
    SYNPROXY("synproxy"),
    TRANSLATE("translate"),
    NO_ROUTE("no-route");

    private final String kernelName;

    Reason(String kernelName) {
        this.kernelName = kernelName;
    }

    @Override
    public String kernelName() {
        return kernelName;
    }
}
