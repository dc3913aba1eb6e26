package org.pfmeter.exporter.jmx;

import java.util.List;
import java.util.Map;

/** {@code org.pfmeter:type=Poller}: the poller's schedule and counters, and an operation to poll now. */
public interface PollerMXBean {

    double getIntervalSeconds();

    long getPolls();

    long getSuccessfulPolls();

    /** ISO-8601, "" before the first poll. */
    String getLastPollTime();

    double getLastPollDurationMillis();

    /** ISO-8601 start of the last poll in which pf answered, "" if none. */
    String getLastSuccessfulPollTime();

    double getSnapshotAgeSeconds();

    long getErrors();

    Map<String, Long> getErrorsBySubsystem();

    /** Subsystems that failed in the latest poll, with their error. */
    List<String> getFailedSubsystems();

    /** Polls now (after a poll in flight) and says what it read. */
    String pollNow();
}
