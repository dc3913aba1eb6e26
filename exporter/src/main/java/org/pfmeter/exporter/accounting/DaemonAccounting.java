package org.pfmeter.exporter.accounting;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.pfmeter.accounting.billing.CustomerMapping;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.ledger.LedgerStats;
import org.pfmeter.accounting.ledger.RecordResult;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.Retention;
import org.pfmeter.accounting.store.StoreException;
import org.pfmeter.accounting.store.UsageLevel;
import org.pfmeter.exporter.config.AccountingConfig;
import org.pfmeter.exporter.http.BillingEndpoint;
import org.pfmeter.exporter.http.Credentials;
import org.pfmeter.exporter.poll.PollStats;
import org.pfmeter.exporter.poll.SnapshotListener;
import org.pfmeter.pf.model.PfSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's accounting: every snapshot goes to the ledger on the poller's thread (so deltas follow
 * polls one for one), retention runs once an hour, and the billing endpoint reads the same database.
 * A database failure never stops polling or scraping: the ledger keeps polls in its backlog (written
 * ahead of the next poll, or by a poll whose rules pf could not give), failures are logged as
 * warnings and its state is exported as {@code pfmeter_ledger_*} metrics.
 */
public final class DaemonAccounting implements SnapshotListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DaemonAccounting.class);
    static final Duration RETENTION_EVERY = Duration.ofHours(1);

    private final AccountingConfig config;
    private final AccountingStore store;
    private final Ledger ledger;
    private final Retention retention;
    private final Clock clock;
    private final Optional<BillingEndpoint> billing;
    private Instant lastRetention = Instant.MIN;
    private volatile RecordResult.Outcome lastOutcome;

    private DaemonAccounting(AccountingConfig config, AccountingStore store, Clock clock, Optional<BillingEndpoint> billing) {
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.ledger = new Ledger(store, new LedgerOptions(config.backlogPolls()), clock);
        this.retention = new Retention(store, config.retention(), clock);
        this.billing = billing;
    }

    /** Opens the database (creating or upgrading its schema) and the billing endpoint if configured. */
    public static DaemonAccounting open(AccountingConfig config, Clock clock) throws IOException {
        AccountingStore store = AccountingStore.open(config.store());
        try {
            Optional<BillingEndpoint> billing = Optional.empty();
            if (config.credentials().isPresent()) {
                CustomerMapping mapping = config.customers().map(CustomerMapping::load).orElse(CustomerMapping.empty());
                billing = Optional.of(new BillingEndpoint(Credentials.load(config.credentials().get()), store,
                        config.cycle(), mapping, clock));
            }
            LOG.info("accounting label traffic of host {} into {}", config.host(), store.describe());
            return new DaemonAccounting(config, store, clock, billing);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    @Override
    public void onSnapshot(PfSnapshot snapshot, PollStats stats) {
        RecordResult r = ledger.record(config.host(), snapshot);
        if (r.outcome() == RecordResult.Outcome.SKIPPED_INCOMPLETE && ledger.stats().backlog() > 0) {
            // pf could not be read this time, but the database may be back: write the backlog now
            // instead of keeping it in memory until pf answers again
            try {
                int n = ledger.flush();
                LOG.info("accounting: the database is written again, {} polls written from the backlog", n);
            } catch (StoreException stillFailing) {
                // the ledger's statistics (and so the metrics) say so
            }
        }
        RecordResult.Outcome was = lastOutcome;
        lastOutcome = r.outcome();
        if (was != r.outcome()) {
            // a failure is a warning (the default log level shows it); the recovery says how many
            // backlogged polls it wrote, so the log shows that nothing was lost
            if (r.outcome() == RecordResult.Outcome.BACKLOGGED || r.outcome() == RecordResult.Outcome.REJECTED) {
                LOG.warn("accounting: {}, {} polls in the backlog (at most {}){}", r.outcome(), ledger.stats().backlog(),
                        config.backlogPolls(), r.error().map(e -> ": " + e.getMessage()).orElse(""));
            } else if (was == RecordResult.Outcome.BACKLOGGED && r.outcome() == RecordResult.Outcome.WRITTEN) {
                LOG.info("accounting: the database is written again, {} polls written from the backlog", r.written());
            } else {
                LOG.info("accounting: {}", r.outcome());
            }
        }
        Instant now = clock.instant();
        if (Duration.between(lastRetention, now).compareTo(RETENTION_EVERY) >= 0 || lastRetention == Instant.MIN) {
            lastRetention = now;
            try {
                Map<UsageLevel, Integer> deleted = retention.run();
                if (deleted.values().stream().anyMatch(n -> n > 0)) {
                    LOG.info("retention removed {}", deleted);
                }
            } catch (RuntimeException e) {
                LOG.warn("retention: {}", e.getMessage());
            }
        }
    }

    public LedgerStats stats() {
        return ledger.stats();
    }

    public Optional<BillingEndpoint> billing() {
        return billing;
    }

    public AccountingStore store() {
        return store;
    }

    /** Writes what the backlog still holds, if the database is back, and closes it. */
    @Override
    public void close() {
        try {
            ledger.flush();
        } catch (RuntimeException e) {
            LOG.warn("accounting: {} polls could not be written before shutdown: {}", ledger.stats().backlog(), e.getMessage());
        }
        store.close();
    }
}
