package org.pfmeter.exporter.jmx;

/** {@code org.pfmeter:type=Table,anchor=…,name=…}: one table (pfctl -sT -vv) from the latest poll. */
public interface TableMXBean {

    String getAnchor();

    String getName();

    /** pfctl's flag letters, e.g. "-pa-r--". */
    String getFlags();

    long getAddresses();

    long getMatches();

    long getNomatches();

    long getPacketsInPass();

    long getPacketsInBlock();

    long getPacketsOutPass();

    long getPacketsOutBlock();

    long getBytesInPass();

    long getBytesInBlock();

    long getBytesOutPass();

    long getBytesOutBlock();
}
