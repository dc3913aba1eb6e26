package org.pfmeter.pf.model;

/**
 * The members of {@code struct pfsyncstats} (net/if_pfsync.h, identical in 7.8, 7.9 and 8.0), in the
 * struct's order, which is also the kernel's {@code enum pfsync_counters}. {@link #kernelName()} is
 * the member's name; {@link #netstat()} is how {@code netstat -s -p pfsync} words it
 * (usr.bin/netstat/inet.c, pfsync_stats()).
 */
public enum PfsyncCounter implements KernelName {
    IPACKETS("pfsyncs_ipackets", "packets received (IPv4)"),
    IPACKETS6("pfsyncs_ipackets6", "packets received (IPv6)"),
    BADIF("pfsyncs_badif", "packets discarded for bad interface"),
    BADTTL("pfsyncs_badttl", "packets discarded for bad ttl"),
    HDROPS("pfsyncs_hdrops", "packets shorter than header"),
    BADVER("pfsyncs_badver", "packets discarded for bad version"),
    BADACT("pfsyncs_badact", "packets discarded for bad action"),
    BADLEN("pfsyncs_badlen", "packets discarded for short packet"),
    BADAUTH("pfsyncs_badauth", "packets discarded for bad HMAC"),
    STALE("pfsyncs_stale", "stale states"),
    BADVAL("pfsyncs_badval", "states discarded for bad values"),
    BADSTATE("pfsyncs_badstate", "failed state lookup/inserts"),
    OPACKETS("pfsyncs_opackets", "packets sent (IPv4)"),
    OPACKETS6("pfsyncs_opackets6", "packets sent (IPv6)"),
    ONOMEM("pfsyncs_onomem", "send failed due to mbuf memory error"),
    OERRORS("pfsyncs_oerrors", "send error");

    private final String kernelName;
    private final String netstat;

    PfsyncCounter(String kernelName, String netstat) {
        this.kernelName = kernelName;
        this.netstat = netstat;
    }

    @Override
    public String kernelName() {
        return kernelName;
    }

    /** netstat's words for the counter, without the number. */
    public String netstat() {
        return netstat;
    }
}
