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
    public long getTransmittedPackets() {
        return v.transmittedPackets();
    }

    @Override
    public long getTransmittedBytes() {
        return v.transmittedBytes();
    }

    @Override
    public long getDroppedPackets() {
        return v.droppedPackets();
    }

    @Override
    public long getDroppedBytes() {
        return v.droppedBytes();
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
