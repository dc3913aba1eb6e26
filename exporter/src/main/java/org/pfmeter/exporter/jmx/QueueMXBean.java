package org.pfmeter.exporter.jmx;

/** {@code org.pfmeter:type=Queue,interface=…,name=…}: one queue (pfctl -sq -v) from the latest poll. */
public interface QueueMXBean {

    String getName();

    String getInterface();

    String getParent();

    java.math.BigInteger getTransmittedPackets();

    java.math.BigInteger getTransmittedBytes();

    java.math.BigInteger getDroppedPackets();

    java.math.BigInteger getDroppedBytes();

    long getLength();

    long getLimit();
}
