package org.pfmeter.exporter.jmx;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pfmeter.pf.model.SourceNodeKind;
import org.pfmeter.pf.model.SourceNodes;

/** Holds the latest poll's source nodes; one volatile reference, so the getters of one poll agree. */
final class SourceNodesBean implements SourceNodesMXBean {

    private volatile SourceNodes latest;

    void update(SourceNodes n) {
        latest = n;
    }

    @Override
    public long getNodes() {
        SourceNodes n = latest;
        return n == null ? -1 : n.nodes();
    }

    @Override
    public boolean isBreakdownSkipped() {
        SourceNodes n = latest;
        return n != null && n.skipped();
    }

    @Override
    public long getBreakdownMax() {
        SourceNodes n = latest;
        return n == null ? 0 : n.bound();
    }

    @Override
    public long getStates() {
        SourceNodes n = latest;
        return n == null ? 0 : n.states();
    }

    @Override
    public long getConnections() {
        SourceNodes n = latest;
        return n == null ? 0 : n.connections();
    }

    @Override
    public long getUnattributed() {
        SourceNodes n = latest;
        return n == null ? 0 : n.unattributed();
    }

    @Override
    public Map<String, Long> getNodesByKind() {
        SourceNodes n = latest;
        Map<String, Long> m = new LinkedHashMap<>();
        if (n != null && !n.skipped()) {
            for (SourceNodeKind k : SourceNodeKind.values()) {
                m.put(k.kernelName(), n.nodes(k));
            }
        }
        return m;
    }

    @Override
    public List<SourceNodeCount> getByRule() {
        SourceNodes n = latest;
        return n == null ? List.of() : n.groups().stream().map(g -> new SourceNodeCount(g.anchor(), g.label(),
                g.kind().kernelName(), g.nodes(), g.states(), g.connections())).toList();
    }

    @Override
    public List<SourceNodeSource> getTopSources() {
        SourceNodes n = latest;
        return n == null ? List.of() : n.top().stream().map(s -> new SourceNodeSource(s.address(), s.translated(),
                s.kind().kernelName(), s.anchor(), s.label(), s.ruleNr(), s.states(), s.connections(), s.packets(), s.bytes(),
                s.ageSeconds())).toList();
    }
}
