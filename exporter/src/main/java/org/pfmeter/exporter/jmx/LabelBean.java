package org.pfmeter.exporter.jmx;

import org.pfmeter.pf.model.LabelCounters;

final class LabelBean implements LabelMXBean {

    private volatile LabelCounters v;

    LabelBean(LabelCounters v) {
        this.v = v;
    }

    void update(LabelCounters c) {
        v = c;
    }

    @Override
    public String getAnchor() {
        return v.anchor();
    }

    @Override
    public String getLabel() {
        return v.label();
    }

    @Override
    public int getRules() {
        return v.rules();
    }

    @Override
    public long getEvaluations() {
        return v.evaluations();
    }

    @Override
    public long getPacketsIn() {
        return v.packetsIn();
    }

    @Override
    public long getPacketsOut() {
        return v.packetsOut();
    }

    @Override
    public long getBytesIn() {
        return v.bytesIn();
    }

    @Override
    public long getBytesOut() {
        return v.bytesOut();
    }

    @Override
    public long getStates() {
        return v.statesCur();
    }

    @Override
    public long getStatesTotal() {
        return v.statesTotal();
    }
}
