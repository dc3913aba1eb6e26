package org.pfmeter.exporter.jmx;

import java.util.List;

/**
 * {@code org.pfmeter:type=Interface,name=…}: one interface or group (pfctl -sI -vv) from the latest
 * poll; packets and bytes are summed over IPv4 and IPv6. A group's counters are its members' sum.
 */
public interface InterfaceMXBean {

    String getName();

    boolean isGroup();

    List<String> getMembers();

    boolean isSkipped();

    long getStates();

    long getRules();

    java.math.BigInteger getPacketsInPassed();

    java.math.BigInteger getPacketsInBlocked();

    java.math.BigInteger getPacketsOutPassed();

    java.math.BigInteger getPacketsOutBlocked();

    java.math.BigInteger getBytesInPassed();

    java.math.BigInteger getBytesInBlocked();

    java.math.BigInteger getBytesOutPassed();

    java.math.BigInteger getBytesOutBlocked();

    /** Unix time the counters were last cleared. */
    long getCleared();
}
