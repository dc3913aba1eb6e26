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
    public java.math.BigInteger getEvaluations() {
        return Maps.unsigned(v.evaluations());
    }

    @Override
    public java.math.BigInteger getPacketsIn() {
        return Maps.unsigned(v.packetsIn());
    }

    @Override
    public java.math.BigInteger getPacketsOut() {
        return Maps.unsigned(v.packetsOut());
    }

    @Override
    public java.math.BigInteger getBytesIn() {
        return Maps.unsigned(v.bytesIn());
    }

    @Override
    public java.math.BigInteger getBytesOut() {
        return Maps.unsigned(v.bytesOut());
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
