package org.pfmeter.exporter.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.pfmeter.accounting.billing.BillingCycle;
import org.pfmeter.accounting.billing.CustomerMapping;
import org.pfmeter.accounting.billing.Units;
import org.pfmeter.exporter.config.AccountingConfig;
import picocli.CommandLine.Option;

/** How billing months and customers are defined, shared by {@code billing} and {@code usage}. */
final class BillingOptions {

    @Option(names = "--billing-day", paramLabel = "DAY", defaultValue = "1", description = "day of the month a billing month starts, 1 to 28 (default: ${DEFAULT-VALUE})")
    String day;

    @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC", description = "time zone of billing months, e.g. Europe/Berlin (default: ${DEFAULT-VALUE})")
    String zone;

    @Option(names = "--customers", paramLabel = "FILE", description = "label → customer mapping file (lines: customer = label | anchor/path:label | glob:PATTERN | regex:PATTERN)")
    Path customers;

    @Option(names = "--units", paramLabel = "si|iec", defaultValue = "si", description = "SI (1000) or IEC (1024) units for the readable columns (default: ${DEFAULT-VALUE})")
    String units;

    @Option(names = "--gap-threshold", paramLabel = "DURATION", defaultValue = "1h",
            description = "list the gaps in the data longer than this, 0s to 31d (default: ${DEFAULT-VALUE}; billing.gap-threshold)")
    String gapThreshold;

    Duration gapThreshold() {
        try {
            return AccountingConfig.gapThreshold(gapThreshold);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--gap-threshold: " + e.getMessage(), e);
        }
    }

    BillingCycle cycle() {
        return BillingCycle.of(day, zone);
    }

    CustomerMapping mapping() {
        return customers == null ? CustomerMapping.empty() : CustomerMapping.load(customers);
    }

    Units units() {
        return Units.parse(units);
    }

    Clock clock() {
        return Clock.systemUTC();
    }
}
