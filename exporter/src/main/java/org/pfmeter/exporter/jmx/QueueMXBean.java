package org.pfmeter.exporter.jmx;

/** {@code org.pfmeter:type=Queue,interface=…,name=…}: one queue (pfctl -sq -v) from the latest poll. */
public interface QueueMXBean {

    String getName();

    String getInterface();

    String getParent();

    long getTransmittedPackets();

    long getTransmittedBytes();

    long getDroppedPackets();

    long getDroppedBytes();

    long getLength();

    long getLimit();
}
