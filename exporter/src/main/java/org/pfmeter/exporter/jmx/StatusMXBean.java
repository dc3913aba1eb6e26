package org.pfmeter.exporter.jmx;

import java.util.Map;

/**
 * {@code org.pfmeter:type=Status}: {@code struct pf_status} of the latest poll. Values are
 * point-in-time, from one snapshot, and do not change until the next poll. Counters are unsigned
 * 64-bit: above 2^63 − 1 a counter reads negative here (read it with Long.toUnsignedString).
 * Sends {@link JmxNotifications#RULESET_CHANGED} when the ruleset's checksum changes.
 */
public interface StatusMXBean {

    /** False when the status could not be read in the latest poll (the other attributes are then stale). */
    boolean isAvailable();

    boolean isRunning();

    /** Kernel uptime in seconds when pf was last enabled or disabled. */
    long getSince();

    /** ISO-8601 time pf was last enabled or disabled, "" when the host's boot time is unknown. */
    String getStartTime();

    long getStates();

    long getStatesHalfopen();

    long getSrcNodes();

    long getFragments();

    String getChecksum();

    long getRulesetChanges();

    String getHostid();

    String getDebug();

    boolean isSyncookiesActive();

    String getSyncookiesMode();

    /** PFRES counters by name (pfctl -si Counters). */
    Map<String, java.math.BigInteger> getCounters();

    /** LCNT counters by name. */
    Map<String, java.math.BigInteger> getLimitCounters();

    /** State table searches, inserts, removals. */
    Map<String, java.math.BigInteger> getStateOperations();

    /** When the snapshot these values come from was taken (ISO-8601). */
    String getSnapshotTime();
}
