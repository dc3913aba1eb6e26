package org.pfmeter.exporter.jmx;

/**
 * {@code org.pfmeter:type=Label,anchor=…,name=…}: the counters of every rule carrying one label in
 * one anchor, added up, from the latest poll.
 */
public interface LabelMXBean {

    String getAnchor();

    String getLabel();

    int getRules();

    java.math.BigInteger getEvaluations();

    java.math.BigInteger getPacketsIn();

    java.math.BigInteger getPacketsOut();

    java.math.BigInteger getBytesIn();

    java.math.BigInteger getBytesOut();

    long getStates();

    long getStatesTotal();
}
