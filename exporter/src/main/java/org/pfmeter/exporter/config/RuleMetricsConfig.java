package org.pfmeter.exporter.config;

/**
 * Per-rule metrics (metrics.rules, metrics.max-rule-series): off by default, since a large ruleset
 * has tens of thousands of rules.
 *
 * @param enabled   export the pf_rule_* families
 * @param maxSeries at most this many rules are exported
 */
public record RuleMetricsConfig(boolean enabled, int maxSeries) {

    public static final RuleMetricsConfig OFF = new RuleMetricsConfig(false, 10_000);
}
