package org.pfmeter.exporter.config;

import java.time.Duration;

/**
 * The state-table breakdown's own schedule (DIOCGETSTATES copies the whole table, so it runs less
 * often than the poll).
 *
 * @param enabled   whether the daemon reads the state table at all
 * @param interval  how often
 * @param maxStates tables larger than this are skipped (counted in pfmeter_states_breakdown_skipped_total)
 * @param top       addresses in each top list (JMX, show, /api/states)
 * @param labelShareAlert share of the breakdown's states above which one label is alerted on; pfmeter only
 *                  serves it (pfmeter_states_label_share_alert_ratio) so the alert rule can compare against
 *                  each firewall's own setting
 */
public record StatesConfig(boolean enabled, Duration interval, long maxStates, int top, double labelShareAlert) {

    public static final StatesConfig DEFAULTS = new StatesConfig(true, Duration.ofSeconds(60), 1_000_000, 10, 0.5);
}
