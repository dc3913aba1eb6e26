package org.pfmeter.exporter.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The validated, immutable configuration of {@code pfmeter run} (and the pf part of {@code show}).
 * Built only by {@link ConfigLoader}; every key is documented in {@link ConfigKey}.
 */
public record Config(
        PfSourceConfig source,
        HostPort listen,
        Path dataDir,
        Duration pollInterval,
        int maxLabelSeries,
        int maxTableSeries,
        JmxConfig jmx,
        AccountingConfig accounting,
        String logLevel,
        PrivilegesConfig privileges,
        HttpConfig http,
        RuleMetricsConfig ruleMetrics,
        org.pfmeter.pf.SourceNodeOptions sourceNodes,
        StatesConfig states) {
}
