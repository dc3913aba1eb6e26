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
 */
public record StatesConfig(boolean enabled, Duration interval, long maxStates, int top) {

    public static final StatesConfig DEFAULTS = new StatesConfig(true, Duration.ofSeconds(60), 1_000_000, 10);
}
