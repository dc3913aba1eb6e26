package org.pfmeter.exporter.jmx;

import javax.management.ConstructorParameters;

/** One row of {@link SourceNodesMXBean#getTopSources()}: a source address and what its node holds. */
public final class SourceNodeSource {

    private final String address;
    private final String translated;
    private final String kind;
    private final String anchor;
    private final String label;
    private final long rule;
    private final long states;
    private final long connections;
    private final long packets;
    private final long bytes;
    private final long ageSeconds;

    @ConstructorParameters({"address", "translated", "kind", "anchor", "label", "rule", "states", "connections", "packets",
        "bytes", "ageSeconds"})
    public SourceNodeSource(String address, String translated, String kind, String anchor, String label, long rule, long states,
                            long connections, long packets, long bytes, long ageSeconds) {
        this.address = address;
        this.translated = translated;
        this.kind = kind;
        this.anchor = anchor;
        this.label = label;
        this.rule = rule;
        this.states = states;
        this.connections = connections;
        this.packets = packets;
        this.bytes = bytes;
        this.ageSeconds = ageSeconds;
    }

    public String getAddress() {
        return address;
    }

    /** The address a sticky-address pool chose for it; "" for a source-track node. */
    public String getTranslated() {
        return translated;
    }

    public String getKind() {
        return kind;
    }

    public String getAnchor() {
        return anchor;
    }

    public String getLabel() {
        return label;
    }

    /** The rule's number within its ruleset. */
    public long getRule() {
        return rule;
    }

    public long getStates() {
        return states;
    }

    public long getConnections() {
        return connections;
    }

    /** Packets of the node's states, both directions (unsigned 64-bit in the kernel; shown as signed beyond 2^63). */
    public long getPackets() {
        return packets;
    }

    public long getBytes() {
        return bytes;
    }

    public long getAgeSeconds() {
        return ageSeconds;
    }
}
