package org.pfmeter.exporter.config;

import java.nio.file.Path;
import java.time.Duration;
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
 * @param gapThreshold billing reports list the gaps in the data longer than this
 * @param bills       the bills file ({@code billing.bills}); empty: no bills
 * @param dropDirectory where each closed period of each bill is written as files
 *                    ({@code billing.drop-directory}); empty: none are
 */
public record AccountingConfig(
        boolean enabled,
        String host,
        StoreConfig store,
        int backlogPolls,
        RetentionPolicy retention,
        BillingCycle cycle,
        Optional<Path> customers,
        Optional<Path> credentials,
        Duration gapThreshold,
        Optional<Path> bills,
        Optional<Path> dropDirectory) {

    /** The longest {@code billing.gap-threshold}: a month. */
    public static final Duration MAX_GAP_THRESHOLD = Duration.ofDays(31);

    /**
     * {@code billing.gap-threshold} and {@code --gap-threshold}: a duration from 0s to 31d.
     *
     * @throws IllegalArgumentException naming what is allowed
     */
    public static Duration gapThreshold(String text) {
        Duration d = Durations.parse(text);
        if (d.compareTo(MAX_GAP_THRESHOLD) > 0) {
            throw new IllegalArgumentException("'" + text.trim() + "' is longer than a month: the gap threshold is 0s to 31d");
        }
        return d;
    }
}
