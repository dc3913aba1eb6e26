package org.pfmeter.exporter.jmx;

import org.pfmeter.pf.model.QueueStats;

final class QueueBean implements QueueMXBean {

    private volatile QueueStats v;

    QueueBean(QueueStats v) {
        this.v = v;
    }

    void update(QueueStats q) {
        v = q;
    }

    @Override
    public String getName() {
        return v.name();
    }

    @Override
    public String getInterface() {
        return v.ifname();
    }

    @Override
    public String getParent() {
        return v.parent();
    }

    @Override
    public java.math.BigInteger getTransmittedPackets() {
        return Maps.unsigned(v.transmittedPackets());
    }

    @Override
    public java.math.BigInteger getTransmittedBytes() {
        return Maps.unsigned(v.transmittedBytes());
    }

    @Override
    public java.math.BigInteger getDroppedPackets() {
        return Maps.unsigned(v.droppedPackets());
    }

    @Override
    public java.math.BigInteger getDroppedBytes() {
        return Maps.unsigned(v.droppedBytes());
    }

    @Override
    public long getLength() {
        return v.length();
    }

    @Override
    public long getLimit() {
        return v.limit();
    }
}
