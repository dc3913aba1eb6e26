package org.pfmeter.exporter.jmx;

import javax.management.ConstructorParameters;

/** One row of {@link SourceNodesMXBean#getByRule()}: the nodes of the rules with one (anchor, label), of one kind. */
public final class SourceNodeCount {

    private final String anchor;
    private final String label;
    private final String kind;
    private final long nodes;
    private final long states;
    private final long connections;

    @ConstructorParameters({"anchor", "label", "kind", "nodes", "states", "connections"})
    public SourceNodeCount(String anchor, String label, String kind, long nodes, long states, long connections) {
        this.anchor = anchor;
        this.label = label;
        this.kind = kind;
        this.nodes = nodes;
        this.states = states;
        this.connections = connections;
    }

    public String getAnchor() {
        return anchor;
    }

    public String getLabel() {
        return label;
    }

    public String getKind() {
        return kind;
    }

    public long getNodes() {
        return nodes;
    }

    public long getStates() {
        return states;
    }

    public long getConnections() {
        return connections;
    }
}
