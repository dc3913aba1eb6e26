package org.pfmeter.pf.sim;

/**
 * How large a firewall the simulator presents. The numbers are exact: a full poll returns this many
 * rules (anchor-call rules included), distinct (anchor, label) keys, tables, interfaces (plus their
 * groups) and queues.
 */
public enum SimScale {
    /**
     * The demo: an office/hosting gateway. em0 (egress, the loginterface), em1 (LAN), em2 (DMZ),
     * vlan100/200/300, lo0 (skipped) and pflog0 in the groups all, egress, lo, pflog, vlan; 36 labels
     * over the main ruleset and the anchors office, customers, customers/acme, customers/globex and
     * customers/globex/web, some shared by several rules; 8 tables in main and anchors; an HFSC tree
     * on em0 and a stand-alone FQ-CoDel queue on em1. {@code set limit states 10000}.
     */
    SMALL(60, 36, 8, 8, 8),
    /**
     * A large hosting firewall: 50,000 rules, 5,000 distinct labels (many label names repeat across
     * the 400 customer anchors below "customers"), 1,000 tables (the default limit), 256 interfaces
     * (250 VLANs) and 64 queues. Every limit and timeout is the kernel's default.
     */
    LARGE(50_000, 5_000, 1_000, 256, 64),
    /**
     * LARGE with {@code set limit states 1000000}: a STATE_RAMP fills the table to a million states
     * (the state-table benchmarks).
     */
    HUGE(50_000, 5_000, 1_000, 256, 64);

    /** The state limit of HUGE. */
    public static final long HUGE_STATE_LIMIT = 1_000_000;

    private final int rules;
    private final int labels;
    private final int tables;
    private final int interfaces;
    private final int queues;

    SimScale(int rules, int labels, int tables, int interfaces, int queues) {
        this.rules = rules;
        this.labels = labels;
        this.tables = tables;
        this.interfaces = interfaces;
        this.queues = queues;
    }

    public int rules() {
        return rules;
    }

    public int labels() {
        return labels;
    }

    public int tables() {
        return tables;
    }

    public int interfaces() {
        return interfaces;
    }

    public int queues() {
        return queues;
    }
}
