package org.pfmeter.exporter.config;

import java.nio.file.Path;
import java.util.Optional;
import org.pfmeter.accounting.billing.BillingCycle;
import org.pfmeter.accounting.store.RetentionPolicy;
import org.pfmeter.accounting.store.StoreConfig;

/**
 * Where and how the daemon accounts label traffic, and how billing months and the billing endpoint
 * are set up. Validated by {@link ConfigLoader}.
 *
 * @param enabled     false: no ledger (metrics and JMX only)
 * @param host        stored with every row
 * @param store       the embedded H2 file in the data directory, or a JDBC database
 * @param credentials the users of /billing; empty: the endpoint is not served
 */
public record AccountingConfig(
        boolean enabled,
        String host,
        StoreConfig store,
        int backlogPolls,
        RetentionPolicy retention,
        BillingCycle cycle,
        Optional<Path> customers,
        Optional<Path> credentials) {
}
