package org.pfmeter.pf.sim;

/** How large a firewall the simulator presents. */
public enum SimScale {
    /** The demo: a few interfaces and groups, a few dozen labels over main and nested anchors, tables, an HFSC tree. */
    SMALL(60, 36, 8, 8, 8),
    /** A large firewall: 50,000 rules, 5,000 distinct labels, 1,000 tables, 256 interfaces, 64 queues. */
    LARGE(50_000, 5_000, 1_000, 256, 64);

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
