package org.pfmeter.exporter.jmx;

import java.util.Map;

/**
 * {@code org.pfmeter:type=Limits}: hard limits and their usage from the latest poll, and the
 * state-table level that drives the {@link JmxNotifications} threshold notifications.
 */
public interface LimitsMXBean {

    /** Hard limit per pool (pfctl -s memory names); 4294967295 means unlimited. */
    Map<String, Long> getLimits();

    /** Entries in use per pool, where known. */
    Map<String, Long> getUsage();

    /** States ÷ the states limit, in percent; NaN before the first poll that read both. */
    double getStateTableUsagePercent();

    /** NORMAL, WARNING or CRITICAL, with hysteresis. */
    String getStateTableLevel();

    double getWarningPercent();

    double getCriticalPercent();

    double getHysteresisPercent();
}
