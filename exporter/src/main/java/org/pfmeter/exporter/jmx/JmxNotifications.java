package org.pfmeter.exporter.jmx;

/** The notification types pfmeter's MBeans send. */
public final class JmxNotifications {

    /** From {@code type=Limits}: state-table usage reached the warning threshold (or fell back to it from critical). */
    public static final String STATES_WARNING = "org.pfmeter.states.warning";
    /** From {@code type=Limits}: state-table usage reached the critical threshold. */
    public static final String STATES_CRITICAL = "org.pfmeter.states.critical";
    /** From {@code type=Limits}: state-table usage fell back below the warning threshold minus the hysteresis. */
    public static final String STATES_NORMAL = "org.pfmeter.states.normal";
    /** From {@code type=Status}: the ruleset's checksum changed. */
    public static final String RULESET_CHANGED = "org.pfmeter.ruleset.changed";

    private JmxNotifications() {
    }
}
