package org.pfmeter.exporter.jmx;

/** {@code org.pfmeter:type=Table,anchor=…,name=…}: one table (pfctl -sT -vv) from the latest poll. */
public interface TableMXBean {

    String getAnchor();

    String getName();

    /** pfctl's flag letters, e.g. "-pa-r--". */
    String getFlags();

    long getAddresses();

    java.math.BigInteger getMatches();

    java.math.BigInteger getNomatches();

    java.math.BigInteger getPacketsInPass();

    java.math.BigInteger getPacketsInBlock();

    java.math.BigInteger getPacketsOutPass();

    java.math.BigInteger getPacketsOutBlock();

    java.math.BigInteger getBytesInPass();

    java.math.BigInteger getBytesInBlock();

    java.math.BigInteger getBytesOutPass();

    java.math.BigInteger getBytesOutBlock();
}
