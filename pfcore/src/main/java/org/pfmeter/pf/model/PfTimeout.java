package org.pfmeter.pf.model;

/**
 * {@code PFTM_*} in the kernel's enum order (which is not pfctl's display order: tcp.tsdiff is last
 * here), with pfctl's names. adaptive.start and adaptive.end are state counts, the rest seconds.
 */
public enum PfTimeout implements KernelName {
    TCP_FIRST_PACKET("tcp.first"),
    TCP_OPENING("tcp.opening"),
    TCP_ESTABLISHED("tcp.established"),
    TCP_CLOSING("tcp.closing"),
    TCP_FIN_WAIT("tcp.finwait"),
    TCP_CLOSED("tcp.closed"),
    UDP_FIRST_PACKET("udp.first"),
    UDP_SINGLE("udp.single"),
    UDP_MULTIPLE("udp.multiple"),
    ICMP_FIRST_PACKET("icmp.first"),
    ICMP_ERROR_REPLY("icmp.error"),
    OTHER_FIRST_PACKET("other.first"),
    OTHER_SINGLE("other.single"),
    OTHER_MULTIPLE("other.multiple"),
    FRAG("frag"),
    INTERVAL("interval"),
    ADAPTIVE_START("adaptive.start"),
    ADAPTIVE_END("adaptive.end"),
    SRC_NODE("src.track"),
    TS_DIFF("tcp.tsdiff");

    private final String kernelName;

    PfTimeout(String kernelName) {
        this.kernelName = kernelName;
    }

    @Override
    public String kernelName() {
        return kernelName;
    }

    /** True for the two adaptive thresholds, which count states rather than seconds. */
    public boolean isStateCount() {
        return this == ADAPTIVE_START || this == ADAPTIVE_END;
    }
}
