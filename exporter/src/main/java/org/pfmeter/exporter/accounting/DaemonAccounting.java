package org.pfmeter.exporter.accounting;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.pfmeter.accounting.billing.CustomerMapping;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.ledger.LedgerStats;
import org.pfmeter.accounting.ledger.MonotonicClock;
import org.pfmeter.accounting.ledger.RecordResult;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.ReadServer;
import org.pfmeter.accounting.store.Retention;
import org.pfmeter.accounting.store.SealedRowRetention;
import org.pfmeter.accounting.store.StoreException;
import org.pfmeter.accounting.store.UsageLevel;
import org.pfmeter.exporter.config.AccountingConfig;
import org.pfmeter.exporter.http.BillingEndpoint;
import org.pfmeter.exporter.http.Authenticator;
import org.pfmeter.exporter.http.Credentials;
import org.pfmeter.exporter.poll.PollStats;
import org.pfmeter.exporter.poll.SnapshotListener;
import org.pfmeter.pf.model.PfSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's accounting: the poller's thread only puts each snapshot into the ledger's bounded
 * backlog ({@code accounting.backlog-polls}; when full the oldest poll is dropped and counted), and
 * one writer thread, {@value #THREAD_NAME}, writes the backlog in order, one transaction per poll,
 * so a database that is slow or does not answer at all never holds up polling, /metrics or the
 * alerts. While the database fails the writer retries with a backoff ({@link #RETRY_FIRST} doubling
 * up to {@link #RETRY_MAX}); failures are logged as warnings and the ledger's state is exported as
 * {@code pfmeter_ledger_*} metrics. Retention runs on the writer too, once an hour; the 5-minute
 * rows of sealed days older than {@code accounting.five-minute-retention} are deleted after each
 * pass, for at most {@link SealedRowRetention#BUDGET} a pass. On
 * {@link #close()} the writer gets {@link #SHUTDOWN_GRACE} to write what the backlog holds.
 *
 * <p>The ledger compares each poll's stamp with a monotonic clock ({@link MonotonicClock} when the
 * daemon runs on the system clock; a test's clock otherwise, which then never jumps against itself),
 * books a poll whose stamp jumped where the elapsed time puts it, and counts the jump; the writer
 * logs it ({@link ClockJumpLog}, at most a line a minute).
 */
public final class DaemonAccounting implements SnapshotListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DaemonAccounting.class);
    static final Duration RETENTION_EVERY = Duration.ofHours(1);
    static final String THREAD_NAME = "ledger-writer";
    static final Duration RETRY_FIRST = Duration.ofSeconds(1);
    static final Duration RETRY_MAX = Duration.ofMinutes(1);
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final AccountingConfig config;
    private final Clock clock;
    /** Never stepped: times the writer's hourly retention and the ledger's view of the time between polls. */
    private final Clock elapsed;
    private final Optional<Authenticator> authenticator;
    /**
     * Null until the database is open: a database server that cannot be reached at start does not
     * stop the daemon; the writer opens it when it answers. Set once, under {@link #pending}'s lock.
     */
    private volatile Opened opened;
    /** Polls taken before the database was open, and what happened meanwhile; guards the switch. */
    private final PendingPolls pending;
    private final Thread writer;

    // the writer's schedule, guarded by lock; the ledger guards its own state
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Something to do: a poll arrived, or a failed write waits for its retry. */
    private boolean work;
    /** Retry now, whatever the backoff says ({@link #awaitIdle}, shutdown). */
    private boolean now;
    private long passesStarted;
    private long passesFinished;
    private Duration backoff = Duration.ZERO;
    private long retryAtNanos;
    /** System.nanoTime() after which the writer starts no more writes; set by close. */
    private Long stopAtNanos;

    // only the writer thread touches these
    private Instant lastRetention = Instant.MIN;
    private RecordResult.Outcome lastOutcome;
    private final ClockJumpLog clockJumps;
    /** The bills' current figures for the metrics, computed on the writer at most once a minute. */
    private final CurrentBillFigures billFigures;

    /**
     * The open database and what works on it.
     *
     * @param readers lets billing and usage read the embedded H2 file while the daemon holds it
     */
    private record Opened(AccountingStore store, Ledger ledger, Retention retention, Optional<BillingEndpoint> billing,
            Optional<ReadServer> readers, Optional<org.pfmeter.accounting.bills.Bills> bills, Optional<PeriodDrop> drop,
            Optional<SealedRowRetention> sealedRows, Clock retentionClock) {
    }

    private DaemonAccounting(AccountingConfig config, Clock clock, Clock elapsed, Optional<Authenticator> authenticator) {
        this.config = config;
        this.clock = clock;
        this.elapsed = elapsed;
        this.clockJumps = new ClockJumpLog(elapsed, LOG::warn);
        this.billFigures = new CurrentBillFigures(elapsed, CurrentBillFigures.EVERY);
        this.authenticator = authenticator;
        this.pending = new PendingPolls(config.backlogPolls());
        this.writer = new Thread(this::writeLoop, THREAD_NAME);
        writer.setDaemon(true);
    }

    /** Everything that works on an open store; closes the store if that fails. */
    private Opened attach(AccountingStore store) {
        try {
            Optional<BillingEndpoint> billing = Optional.empty();
            if (authenticator.isPresent()) {
                CustomerMapping mapping = config.customers().map(CustomerMapping::load).orElse(CustomerMapping.empty());
                billing = Optional.of(new BillingEndpoint(authenticator.get(), store,
                        config.cycle(), mapping, config.gapThreshold(), clock));
            }
            LOG.info("accounting label traffic of host {} into {}", config.host(), store.describe());
            Ledger ledger = new Ledger(store, new LedgerOptions(config.backlogPolls()), clock, Optional.of(elapsed));
            // a wall clock that jumped years ahead would make retention delete every row it holds: the
            // cut-off follows the ledger's booked time, which does not jump (see accounting/README.md)
            Clock retentionClock = new NoLaterThan(clock, ledger::lastBookedAt);
            Optional<org.pfmeter.accounting.bills.Bills> bills = config.bills().map(f -> new org.pfmeter.accounting.bills.Bills(store,
                    org.pfmeter.accounting.bills.BillsFile.load(f)));
            return new Opened(store, ledger, new Retention(store, config.retention(), retentionClock),
                    billing, readers(store), bills, bills.flatMap(b -> config.dropDirectory().map(d -> new PeriodDrop(b,
                            new org.pfmeter.accounting.bills.BillDropLog(store), d, clock))),
                    // empty: the 5-minute rows of sealed days are kept as long as the 5-minute level
                    config.retention().sealedFiveMinuteRows().map(keep -> new SealedRowRetention(store, keep)), retentionClock);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Opens the database (creating or upgrading its schema) and the billing endpoint if configured.
     * A database server that cannot be reached is not an error: see {@link #open(AccountingConfig,
     * Clock, Optional)}.
     */
    public static DaemonAccounting open(AccountingConfig config, Clock clock) throws IOException {
        return open(config, clock, config.credentials().isPresent()
                ? Optional.of(new Authenticator(Credentials.load(config.credentials().get())))
                : Optional.empty());
    }

    /**
     * Opens the database as {@link #open(AccountingConfig, Clock)}; when a database server cannot be
     * reached (down, or not yet up) the daemon starts anyway: polls wait in the backlog as they do
     * when the server goes away at runtime, and the writer opens the database, migrates it and
     * writes them when the server answers; billing is not served until then.
     *
     * @param authenticator the billing users' check, shared with the other authenticated endpoints so
     *                      that its bounds hold for all of them together; billing is served only with one
     */
    public static DaemonAccounting open(AccountingConfig config, Clock clock, Optional<Authenticator> authenticator)
            throws IOException {
        // the system's wall clock can be stepped; a test's clock is the simulated time itself
        return open(config, clock, clock.equals(Clock.systemUTC()) ? MonotonicClock.system() : clock, authenticator);
    }

    /**
     * @param elapsed measures the time between polls and is never stepped (see {@link MonotonicClock});
     *                tests pass the simulated time while {@code clock}, which stamps nothing here but the
     *                ledger's own statistics, may jump
     */
    static DaemonAccounting open(AccountingConfig config, Clock clock, Clock elapsed, Optional<Authenticator> authenticator)
            throws IOException {
        DaemonAccounting a = new DaemonAccounting(config, clock, elapsed, authenticator);
        AccountingStore store;
        try {
            store = AccountingStore.open(config.store());
        } catch (StoreException e) {
            // A database server that is down must not stop the metrics: the polls wait in the backlog,
            // as they do when it goes away at runtime, and the writer opens it when it answers. An
            // embedded file that cannot be opened, or a server that refuses us, is a mistake to fix now.
            if (config.store().h2DataDir().isPresent() || e.kind() != StoreException.Kind.UNREACHABLE) {
                throw e;
            }
            LOG.warn("accounting: cannot open the database ({}); polling and /metrics go on, polls wait in the backlog"
                    + " (at most {}) and are written when it answers", e.getMessage(), config.backlogPolls());
            synchronized (a.pending) {
                a.pending.openFailed(e, clock.instant());
            }
            a.writer.start();
            return a;
        }
        a.opened = a.attach(store);
        a.writer.start();
        return a;
    }

    /**
     * On the writer: opens the database that could not be opened at start, and hands it the polls
     * taken meanwhile, in order.
     *
     * @return false while it still cannot be opened
     */
    private boolean openIfNeeded() {
        if (opened != null) {
            return true;
        }
        AccountingStore store;
        try {
            store = AccountingStore.open(config.store());
        } catch (StoreException e) {
            synchronized (pending) {
                pending.openFailed(e, clock.instant());
            }
            return false;
        }
        Opened o = attach(store);
        int handed;
        synchronized (pending) {
            List<PendingPolls.Taken> polls = pending.takeAll();
            polls.forEach(t -> o.ledger().enqueue(t.observation(), t.elapsedAt()));
            handed = polls.size();
            opened = o;
        }
        LOG.info("accounting: the database answers; {} polls taken while it did not are written now", handed);
        return true;
    }

    /** The embedded H2 file is served to billing and usage on loopback; a shared database needs nothing. */
    private static Optional<ReadServer> readers(AccountingStore store) {
        if (store.config().h2DataDir().isEmpty()) {
            return Optional.empty();
        }
        try {
            ReadServer r = ReadServer.start(store);
            LOG.info("billing and usage can read the database while pfmeter runs (127.0.0.1:{}, announced in {})",
                    r.port(), r.file());
            return Optional.of(r);
        } catch (IllegalStateException | StoreException e) {
            LOG.warn("billing and usage cannot read the database while pfmeter runs: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * At shutdown, when every poll is written: each open bucket's journal rows become one, so the
     * file keeps one poll's worth of journal instead of up to 150 (accounting/README.md, "What a
     * poll writes"). Skipped while the database fails (the rows are as correct unmerged).
     */
    private void mergeJournals() {
        Opened o = opened;
        if (o == null || o.ledger().stats().backlog() > 0) {
            return;
        }
        Ledger ledger = o.ledger();
        try {
            long start = System.nanoTime();
            Ledger.JournalMerge m = ledger.mergeJournals();
            m.failure().ifPresent(e -> LOG.warn("accounting: the journal was not merged at shutdown: {}", e.getMessage()));
            if (m.rowsBefore() > m.rowsAfter()) {
                LOG.info("accounting: merged the open buckets' journal, {} rows into {}, in {} ms", m.rowsBefore(),
                        m.rowsAfter(), (System.nanoTime() - start) / 1_000_000);
            }
        } catch (RuntimeException e) {
            LOG.warn("accounting: merging the journal at shutdown failed unexpectedly: {}", e.toString());
        }
    }

    /** Readers first: their connections end before the database closes (and compacts). */
    private void closeStore() {
        Opened o = opened;
        if (o != null) {
            o.readers().ifPresent(ReadServer::close);
            o.store().close();
        }
    }

    /** On the poller's thread: hands the poll to the writer; never waits for the database. */
    @Override
    public void onSnapshot(PfSnapshot snapshot, PollStats stats) {
        // a poll whose rules pf could not give is counted as skipped; it still wakes the writer,
        // which retries a backlog whose backoff has run out
        Opened o = opened;
        if (o != null) {
            o.ledger().enqueue(config.host(), snapshot);
        } else {
            synchronized (pending) {
                if (opened != null) {
                    opened.ledger().enqueue(config.host(), snapshot);
                } else {
                    org.pfmeter.accounting.ledger.Observation.of(config.host(), snapshot)
                            .ifPresentOrElse(p -> pending.add(p, Optional.of(elapsed.instant())), pending::skipped);
                }
            }
        }
        lock.lock();
        try {
            work = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Asks the writer to try the backlog now, skipping its backoff, and waits until it has: every
     * poll handed over before this call is then written, or the database failed (see
     * {@link #stats()}). For tests and drivers that poll by hand and read the database next.
     *
     * @return false if the writer did not finish its try within {@code timeout}
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            if (!writer.isAlive()) {
                return stats().backlog() == 0;
            }
            long target = passesStarted + 1;
            work = true;
            now = true;
            changed.signalAll();
            while (passesFinished < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !writer.isAlive()) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void writeLoop() {
        try {
            while (true) {
                lock.lock();
                try {
                    while (!due()) {
                        if (stopAtNanos != null && (stats().backlog() == 0 || System.nanoTime() - stopAtNanos >= 0)) {
                            return;
                        }
                        long wait = !work ? Long.MAX_VALUE : retryAtNanos - System.nanoTime();
                        if (stopAtNanos != null) {
                            wait = Math.min(wait, stopAtNanos - System.nanoTime());
                        }
                        changed.awaitNanos(wait);
                    }
                    work = false;
                    now = false;
                    passesStarted++;
                } finally {
                    lock.unlock();
                }
                RecordResult r;
                try {
                    if (openIfNeeded()) {
                        r = opened.ledger().drain();
                        report(r);
                        clockJumps.after(opened.ledger().stats());
                        storeClosedBills(r);
                        refreshBillFigures(r);
                        retentionIfDue();
                        pruneSealedRows();
                    } else {
                        r = new RecordResult(RecordResult.Outcome.BACKLOGGED, 0, List.of(), Optional.empty());
                    }
                } catch (RuntimeException e) {
                    // a bug must not end the writer: the backlog keeps the polls and the next pass retries
                    LOG.warn("accounting: writing the ledger failed unexpectedly: {}", e.toString());
                    r = new RecordResult(RecordResult.Outcome.BACKLOGGED, 0, List.of(), Optional.empty());
                }
                lock.lock();
                try {
                    passesFinished++;
                    if (r.outcome() == RecordResult.Outcome.BACKLOGGED) {
                        backoff = backoff.isZero() ? RETRY_FIRST : min(backoff.multipliedBy(2), RETRY_MAX);
                        retryAtNanos = System.nanoTime() + backoff.toNanos();
                        work = true;
                    } else {
                        backoff = Duration.ZERO;
                    }
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            // close() gave up waiting
        } finally {
            lock.lock();
            try {
                passesFinished = Long.MAX_VALUE;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            // the writer owns the store's write connection: closing it here never waits for a write
            mergeJournals();
            closeStore();
        }
    }

    /** Whether to write now; the caller holds the lock. */
    private boolean due() {
        if (!work) {
            return false;
        }
        if (stopAtNanos != null && System.nanoTime() - stopAtNanos >= 0) {
            return false;
        }
        return now || backoff.isZero() || System.nanoTime() - retryAtNanos >= 0;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Logs each change of outcome: a failure as a warning, the recovery with how many polls it wrote. */
    private void report(RecordResult r) {
        RecordResult.Outcome was = lastOutcome;
        lastOutcome = r.outcome();
        if (was == r.outcome()) {
            return;
        }
        if (r.outcome() == RecordResult.Outcome.BACKLOGGED || r.outcome() == RecordResult.Outcome.REJECTED) {
            LOG.warn("accounting: {}, {} polls in the backlog (at most {}){}", r.outcome(), stats().backlog(),
                    config.backlogPolls(), r.error().map(e -> ": " + e.getMessage()).orElse(""));
        } else if (was == RecordResult.Outcome.BACKLOGGED && r.outcome() == RecordResult.Outcome.WRITTEN) {
            LOG.info("accounting: the database is written again, {} polls written from the backlog", r.written());
        } else {
            LOG.info("accounting: {}", r.outcome());
        }
    }

    /** After a written poll: the bills' periods that have closed are stored, once (accounting/README.md, "Bills"). */
    private void storeClosedBills(RecordResult r) {
        Optional<org.pfmeter.accounting.bills.Bills> bills = bills();
        if (bills.isEmpty() || r.outcome() != RecordResult.Outcome.WRITTEN) {
            return;
        }
        boolean stored = false;
        try {
            for (org.pfmeter.accounting.bills.PeriodFigures f : bills.get().storeClosed(clock.instant())) {
                LOG.info("bills: stored the closed period {} of bill {}", f.period(), f.bill());
                stored = true;
            }
        } catch (RuntimeException e) {
            // the next written poll tries again: a period is stored late, never lost
            LOG.warn("bills: storing closed periods failed: {}", e.getMessage());
        }
        boolean any = stored;
        try {
            opened.drop().ifPresent(d -> d.afterPoll(any));     // billing.drop-directory: the stored periods' files, once
        } catch (RuntimeException e) {
            LOG.warn("bills: dropping closed periods failed: {}", e.getMessage());
        }
    }

    /** After a written poll, at most once a minute: the bills' current figures for the metrics ({@link BillsCollector}). */
    private void refreshBillFigures(RecordResult r) {
        Optional<org.pfmeter.accounting.bills.Bills> bills = bills();
        if (bills.isEmpty() || r.outcome() != RecordResult.Outcome.WRITTEN) {
            return;
        }
        try {
            billFigures.refreshIfDue(bills.get());
        } catch (RuntimeException e) {
            // counted; the last figures stay and age, and the next written poll after a minute tries again
            LOG.warn("bills: computing the current figures for the metrics failed: {}", e.getMessage());
        }
    }

    /** The bills' current figures as the writer computed them last (for {@link BillsCollector}). */
    public CurrentBillFigures billFigures() {
        return billFigures;
    }

    /** The bills of billing.bills, whose closed periods are stored after each written poll; empty until the database is open. */
    public Optional<org.pfmeter.accounting.bills.Bills> bills() {
        Opened o = opened;
        return o == null ? Optional.empty() : o.bills();
    }

    private void retentionIfDue() {
        Instant t = elapsed.instant();
        if (lastRetention != Instant.MIN && Duration.between(lastRetention, t).compareTo(RETENTION_EVERY) < 0) {
            return;
        }
        lastRetention = t;
        try {
            Map<UsageLevel, Integer> deleted = opened.retention().run();
            if (deleted.values().stream().anyMatch(n -> n > 0)) {
                LOG.info("retention removed {}", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warn("retention: {}", e.getMessage());
        }
    }

    /** After each pass: a bounded share of the sealed days' 5-minute rows that are past their retention. */
    private void pruneSealedRows() {
        Opened o = opened;
        if (o == null || o.sealedRows().isEmpty()) {
            return;
        }
        try {
            SealedRowRetention.Result r = o.sealedRows().get().run(o.retentionClock().instant(), SealedRowRetention.BUDGET);
            if (r.rowsDeleted() > 0) {
                LOG.debug("retention removed {} 5-minute rows of sealed days in {} ms", r.rowsDeleted(), r.took().toMillis());
            }
        } catch (RuntimeException e) {
            LOG.warn("retention of the sealed days' 5-minute rows: {}", e.getMessage());
        }
    }

    /** The ledger's state; before the database is open, the polls waiting for it. */
    public LedgerStats stats() {
        synchronized (pending) {
            Opened o = opened;
            return o == null ? pending.stats() : pending.plus(o.ledger().stats());
        }
    }

    /** The damaged rows the daemon's work on the database has met ({@link AccountingStore#damagedRowsMet}); none before it is open. */
    public AccountingStore.DamagedRowsMet damagedRowsMet() {
        Opened o = opened;
        return o == null ? AccountingStore.DamagedRowsMet.NONE : o.store().damagedRowsMet();
    }

    /** What the store has done to its embedded H2 file ({@link AccountingStore#upkeep}); nothing before it is open. */
    public org.pfmeter.accounting.store.FileUpkeep fileUpkeep() {
        Opened o = opened;
        return o == null ? org.pfmeter.accounting.store.FileUpkeep.NONE : o.store().upkeep();
    }

    /** The size of the embedded H2 file; empty for PostgreSQL and before the database is open. */
    public java.util.OptionalLong fileBytes() {
        Opened o = opened;
        return o == null ? java.util.OptionalLong.empty() : o.store().fileBytes();
    }

    /**
     * What the billing paths can do: off without billing users; pending, saying why and when the
     * writer tries again, while the database could not be opened yet; else served.
     */
    public org.pfmeter.exporter.http.BillingState billingState() {
        Opened o = opened;
        if (authenticator.isEmpty()) {
            return org.pfmeter.exporter.http.BillingState.off();
        }
        if (o != null) {
            return o.billing().map(org.pfmeter.exporter.http.BillingState::serving)
                    .orElseGet(org.pfmeter.exporter.http.BillingState::off);
        }
        Optional<StoreException> failed;
        synchronized (pending) {
            failed = pending.lastError();
        }
        Duration retry = retryInterval();
        String what = failed.filter(e -> e.kind() != StoreException.Kind.UNREACHABLE)
                .map(e -> " cannot be opened yet (" + e.kind().label() + ")").orElse(" cannot be reached yet");
        return org.pfmeter.exporter.http.BillingState.pending(authenticator.get(), "the accounting database "
                + config.store().target() + what + "; pfmeter retries every " + retry.toSeconds()
                + " s (the daemon's log says more)", Optional.of(retry));
    }

    /** How long the writer waits before it tries a failing database again: its backoff, at least {@link #RETRY_FIRST}. */
    private Duration retryInterval() {
        lock.lock();
        try {
            return backoff.compareTo(RETRY_FIRST) < 0 ? RETRY_FIRST : backoff;
        } finally {
            lock.unlock();
        }
    }

    /** @throws IllegalStateException while the database could not be opened yet */
    public AccountingStore store() {
        Opened o = opened;
        if (o == null) {
            throw new IllegalStateException("the accounting database " + config.store().target() + " is not open yet");
        }
        return o.store();
    }

    /**
     * Gives the writer {@link #SHUTDOWN_GRACE} to write what the backlog holds (retrying while the
     * database fails), then stops it and closes the database; logs how many polls were not written.
     */
    @Override
    public void close() {
        close(SHUTDOWN_GRACE);
    }

    /** {@link #close()} with another grace period. */
    public void close(Duration grace) {
        lock.lock();
        try {
            if (stopAtNanos != null) {
                return;
            }
            stopAtNanos = System.nanoTime() + grace.toNanos();
            work = true;
            now = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (!writer.isAlive() && writer.getState() == Thread.State.NEW) {
            closeStore();
            return;
        }
        try {
            writer.join(Math.max(1, grace.toMillis() + 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = stats().backlog();
        if (writer.isAlive()) {
            // stuck in a write the database does not answer: it is a daemon thread, and closes the
            // store when the driver's timeout ends that write
            writer.interrupt();
            LOG.warn("accounting: the database did not answer within {} s of shutdown; {} polls are not written",
                    grace.toSeconds(), left);
        } else if (left > 0) {
            LOG.warn("accounting: {} polls could not be written before shutdown{}", left,
                    stats().lastWriteError().map(e -> ": " + e).orElse(""));
        }
    }

    /** The wall clock, but never later than a bound (the ledger's last booked poll) when there is one. */
    static final class NoLaterThan extends Clock {
        private final Clock wall;
        private final java.util.function.Supplier<Optional<Instant>> bound;

        NoLaterThan(Clock wall, java.util.function.Supplier<Optional<Instant>> bound) {
            this.wall = wall;
            this.bound = bound;
        }

        @Override
        public Instant instant() {
            Instant now = wall.instant();
            return bound.get().filter(b -> b.isBefore(now)).orElse(now);
        }

        @Override
        public java.time.ZoneId getZone() {
            return wall.getZone();
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return new NoLaterThan(wall.withZone(zone), bound);
        }
    }
}
