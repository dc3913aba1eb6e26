package org.pfmeter.pf.model;

/** The parts of pf read separately in one poll; one failing does not lose the others. */
public enum Subsystem {
    STATUS("status"),
    LIMITS("limits"),
    TIMEOUTS("timeouts"),
    INTERFACES("interfaces"),
    RULES("rules"),
    TABLES("tables"),
    QUEUES("queues"),
    SOURCE_NODES("source_nodes"),
    /** State limiters (pfvar.h 1.548: OpenBSD 7.9 and later). */
    STATE_LIMITERS("state_limiters"),
    /** Source limiters and their address entries (7.9 and later). */
    SOURCE_LIMITERS("source_limiters"),
    /** net.inet.pfsync.stats, through sysctl(2) rather than /dev/pf; not present unless pfsync is configured. */
    PFSYNC("pfsync"),
    /** DIOCRGETASTATS for the tables named in the configuration: per-address counters. */
    TABLE_ADDRESSES("table_addresses");

    private final String label;

    Subsystem(String label) {
        this.label = label;
    }

    /** Lowercase name used in metrics, logs and the CLI. */
    public String label() {
        return label;
    }
}
