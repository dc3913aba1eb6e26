package org.pfmeter.exporter.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.pfmeter.accounting.billing.BillingCycle;
import org.pfmeter.accounting.billing.CustomerMapping;
import org.pfmeter.accounting.billing.ReportQuery;
import org.pfmeter.accounting.billing.Units;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.exporter.config.AccountingConfig;
import org.pfmeter.exporter.config.ConfigException;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;
import picocli.CommandLine.Option;

/**
 * How billing months and customers are defined, shared by {@code billing} and {@code usage}: from the
 * options, or from the daemon's own configuration file ({@code --config}), read by the daemon's
 * loader (unknown keys and bad values are refused the same way), with the options winning.
 */
final class BillingOptions {

    static final String DEFAULT_DAY = "1";
    static final String DEFAULT_ZONE = "UTC";

    @Option(names = "--config", paramLabel = "FILE", description = "the daemon's pfmeter.conf: the database (data-dir, accounting.jdbc-*), billing.day, billing.zone, billing.customers and billing.gap-threshold come from it; the options here win")
    Path config;

    @Option(names = "--billing-day", paramLabel = "DAY", description = "day of the month a billing month starts, 1 to 28 (default: billing.day of --config, else " + DEFAULT_DAY + ")")
    String day;

    @Option(names = "--zone", paramLabel = "ZONE", description = "time zone of billing months, e.g. Europe/Berlin (default: billing.zone of --config, else " + DEFAULT_ZONE + ")")
    String zone;

    @Option(names = "--customers", paramLabel = "FILE", description = "label → customer mapping file (lines: customer = label | anchor/path:label | glob:PATTERN | regex:PATTERN; default: billing.customers of --config)")
    Path customers;

    @Option(names = "--units", paramLabel = "si|iec", defaultValue = "si", description = "SI (1000) or IEC (1024) units for the readable columns (default: ${DEFAULT-VALUE})")
    String units;

    // the "1h" of the help is ReportQuery.DEFAULT_GAP_THRESHOLD, which setup() uses
    @Option(names = "--gap-threshold", paramLabel = "DURATION",
            description = "list the gaps in the data longer than this, 0s to 31d (default: billing.gap-threshold of --config, else 1h)")
    String gapThreshold;

    /** What a report reads and how it bills. */
    record Setup(StoreConfig store, BillingCycle cycle, CustomerMapping mapping, Duration gapThreshold) {
    }

    /**
     * The database and the billing settings: the options, else {@code --config}, else the defaults
     * (./data, day 1, UTC, no customers). {@code accounting.host} is no filter: a report covers every
     * host in the database unless {@code --host} names one.
     *
     * @throws ConfigException          the configuration file cannot be read or is refused
     * @throws IllegalArgumentException an option is invalid
     */
    Setup setup(StoreOptions store) throws ConfigException {
        if (config == null) {
            return new Setup(store.config(), BillingCycle.of(day != null ? day : DEFAULT_DAY, zone != null ? zone : DEFAULT_ZONE),
                    mapping(Optional.ofNullable(customers)), gapThreshold == null ? ReportQuery.DEFAULT_GAP_THRESHOLD : gapThreshold(gapThreshold));
        }
        Map<ConfigKey, String> overrides = new EnumMap<>(ConfigKey.class);
        PfSourceOptions.put(overrides, ConfigKey.BILLING_DAY, day);
        PfSourceOptions.put(overrides, ConfigKey.BILLING_ZONE, zone);
        PfSourceOptions.put(overrides, ConfigKey.BILLING_CUSTOMERS, customers == null ? null : customers.toString());
        PfSourceOptions.put(overrides, ConfigKey.BILLING_GAP_THRESHOLD, gapThreshold);
        if (!store.locationGiven()) {
            store.addCredentialsTo(overrides);
        }
        AccountingConfig file = ConfigLoader.loadForReading(Optional.of(config), overrides).accounting();
        // an explicit --data-dir, --db or --jdbc-url replaces the file's database, whichever kind it is
        StoreConfig db = store.locationGiven() ? store.config() : file.store();
        return new Setup(db, file.cycle(), mapping(file.customers()), file.gapThreshold());
    }

    private static Duration gapThreshold(String text) {
        try {
            return AccountingConfig.gapThreshold(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--gap-threshold: " + e.getMessage(), e);
        }
    }

    private static CustomerMapping mapping(Optional<Path> file) {
        return file.map(CustomerMapping::load).orElse(CustomerMapping.empty());
    }

    Units units() {
        return Units.parse(units);
    }

    Clock clock() {
        return Clock.systemUTC();
    }
}
