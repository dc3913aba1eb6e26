package org.pfmeter.exporter.jmx;

/**
 * {@code org.pfmeter:type=Label,anchor=…,name=…}: the counters of every rule carrying one label in
 * one anchor, added up, from the latest poll.
 */
public interface LabelMXBean {

    String getAnchor();

    String getLabel();

    int getRules();

    long getEvaluations();

    long getPacketsIn();

    long getPacketsOut();

    long getBytesIn();

    long getBytesOut();

    long getStates();

    long getStatesTotal();
}
