package org.pfmeter.accounting.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.LedgerStore;
import org.pfmeter.accounting.store.DaySlots;
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.accounting.store.StoreException;
import org.pfmeter.pf.model.PfSnapshot;

/**
 * Reset-safe per-label accounting: every poll's label counters become deltas per (host, anchor path,
 * label), stored with the raw counters they came from in one transaction (see {@link DeltaRules}
 * for how a delta is computed). Killing the process at any instant loses nothing and repeats
 * nothing: after a restart the next poll's delta is taken from the counters the database holds.
 *
 * <p>When the database cannot be written (locked, full, unreachable) the poll is kept in a bounded
 * in-memory backlog, in order, and written ahead of the next poll or by {@link #flush()}; the
 * failure is in {@link #stats()} and in the {@link RecordResult}. Either {@link #record} once per
 * poll (writes on the caller's thread), or {@link #enqueue} on the poller's thread and {@link #drain}
 * on one writer thread, so a database that does not answer never holds up a poll.
 *
 * <p>Thread-safe: writes are serialised (one transaction at a time, oldest poll first, so deltas
 * follow polls one for one); {@link #enqueue} and {@link #stats} never wait for the database.
 */
public final class Ledger {

    /**
     * How long the writer may go on sealing days after a poll once it has sealed the first that is
     * due, measured with the ledger's clock. One day is due a day, so this matters only when days
     * are behind (after the upgrade to schema v5, which unseals every day): a year of 1,000 labels
     * then catches up in minutes instead of an hour of polls. The writer's next poll waits at most
     * this (plus one day's seal); polling never does.
     */
    public static final Duration SEAL_BUDGET = Duration.ofSeconds(2);

    private final AccountingStore store;
    private final LedgerStore tables;
    /** Per host, what the database holds (checkpoint and journal); guarded by {@link #writing}. */
    private final Map<String, HostLedger> hosts = new HashMap<>();
    private final LedgerOptions options;
    private final Clock clock;
    /** Measures the time between polls to catch the wall clock jumping; empty: not watched. */
    private final Optional<Clock> elapsed;
    private final PollClock pollClock;
    /** Per host, the last poll this process stored (for {@link PollClock}); guarded by {@link #writing}. */
    private final Map<String, PollClock.State> clocks = new HashMap<>();
    /** Held for a whole write (database I/O); the state below is guarded by {@code this}, never across I/O. */
    private final Object writing = new Object();
    private final Deque<Queued> backlog = new ArrayDeque<>();
    /** The poll being written now: out of the deque, still counted in the backlog. */
    private Queued inFlight;

    private long droppedPolls;
    private long droppedLabelRows;
    private long writtenPolls;
    private long skippedPolls;
    private long stalePolls;
    private long rejectedPolls;
    private long resets;
    private long tableResets;
    private long addressResets;
    private long implausible;
    private long writeErrors;
    private StoreException lastError;
    private Instant lastErrorAt;
    private Instant lastWriteAt;
    private long clockJumpsForward;
    private long clockJumpsBackward;
    private ClockJump lastClockJump;
    /** The latest time a poll was booked at since start (any host). */
    private Instant lastBookedAt;

    /**
     * A poll in the backlog, with the monotonic reading taken when it was queued. The time it is
     * booked at is decided once, at its first write attempt, and kept for its retries, so a retry of
     * a commit that did go through is recognised by that time and never counted again.
     */
    private static final class Queued {
        final Observation observation;
        final Optional<Instant> elapsed;
        PollClock.Decision decision;

        Queued(Observation observation, Optional<Instant> elapsed) {
            this.observation = observation;
            this.elapsed = elapsed;
        }
    }

    public Ledger(AccountingStore store) {
        this(store, LedgerOptions.defaults(), Clock.systemUTC());
    }

    /**
     * @param clock stamps {@link LedgerStats}' times and measures the {@link #SEAL_BUDGET}; deltas are
     *              booked at each snapshot's own time
     */
    public Ledger(AccountingStore store, LedgerOptions options, Clock clock) {
        this(store, options, clock, Optional.empty());
    }

    /**
     * @param elapsed a clock that measures elapsed time only and is never stepped (in production
     *                {@link MonotonicClock#system()}): read when a poll is queued, it tells a jump of the
     *                wall clock that stamped the poll from time that really passed (see
     *                {@link PollClock}); empty: a poll is booked at its own stamp, or just after the
     *                last stored poll when its stamp lies before that
     */
    public Ledger(AccountingStore store, LedgerOptions options, Clock clock, Optional<Clock> elapsed) {
        this.store = Objects.requireNonNull(store, "store");
        this.tables = new LedgerStore(store);
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
        this.pollClock = new PollClock(options.clockTolerance(), options.clockSettle());
    }

    /**
     * Accounts one poll of {@code host}. Never throws for a database failure: the poll goes to the
     * backlog and the result says why.
     *
     * @param host the firewall's name as stored in every row (e.g. its hostname), 1 to 255 characters
     */
    public RecordResult record(String host, PfSnapshot snapshot) {
        Optional<Observation> o = Observation.of(host, snapshot);
        if (o.isEmpty()) {
            synchronized (this) {
                skippedPolls++;
            }
            return new RecordResult(RecordResult.Outcome.SKIPPED_INCOMPLETE, 0, List.of(), Optional.empty());
        }
        return record(o.get());
    }

    /** Accounts one observation (what {@link #record(String, PfSnapshot)} extracts from a snapshot). */
    public RecordResult record(Observation observation) {
        Objects.requireNonNull(observation, "observation");
        synchronized (writing) {
            enqueue(observation);
            Flushed f = write(observation);
            if (f.error != null) {
                return new RecordResult(RecordResult.Outcome.BACKLOGGED, f.written, List.of(), Optional.of(f.error));
            }
            if (f.rejected != null) {
                return new RecordResult(RecordResult.Outcome.REJECTED, f.written, List.of(), Optional.of(f.rejected));
            }
            if (f.lastStale) {
                return new RecordResult(RecordResult.Outcome.SKIPPED_STALE, f.written, List.of(), Optional.empty());
            }
            return new RecordResult(RecordResult.Outcome.WRITTEN, f.written, f.lastDeltas, Optional.empty());
        }
    }

    /**
     * Puts one poll at the end of the backlog without writing it (for a writer thread that calls
     * {@link #drain}); never waits for the database. When the backlog is full its oldest poll is
     * dropped and counted.
     *
     * @return false when pf's status or rules could not be read in this poll (counted as skipped)
     */
    public boolean enqueue(String host, PfSnapshot snapshot) {
        Optional<Observation> o = Observation.of(host, snapshot);
        if (o.isEmpty()) {
            synchronized (this) {
                skippedPolls++;
            }
            return false;
        }
        enqueue(o.get());
        return true;
    }

    /** Puts one observation at the end of the backlog without writing it; see {@link #enqueue(String, PfSnapshot)}. */
    public void enqueue(Observation observation) {
        enqueue(observation, elapsed.map(Clock::instant));
    }

    /**
     * Puts one observation taken earlier at the end of the backlog (polls kept while the database
     * could not be opened): {@code elapsedAt} is the elapsed clock's reading when it was taken, so
     * that the time between polls is judged as it was, not by when they were handed over together.
     */
    public void enqueue(Observation observation, Optional<Instant> elapsedAt) {
        Objects.requireNonNull(observation, "observation");
        Queued q = new Queued(observation, elapsed.isPresent() ? elapsedAt : Optional.empty());
        synchronized (this) {
            while (backlogSize() >= options.backlogLimit() && !backlog.isEmpty()) {
                dropOldest();
            }
            backlog.addLast(q);
        }
    }

    /**
     * Writes what the backlog holds, oldest first, one transaction per poll, until it is empty or
     * the database fails. Never throws for a database failure.
     *
     * @return {@code WRITTEN} when the backlog was emptied, {@code BACKLOGGED} with the failure when
     *         the database failed (the failed poll stays first), {@code REJECTED} when it was emptied
     *         but some poll could not be written at all; {@code written} counts the polls stored
     */
    public RecordResult drain() {
        synchronized (writing) {
            Flushed f = write(null);
            if (f.error != null) {
                return new RecordResult(RecordResult.Outcome.BACKLOGGED, f.written, List.of(), Optional.of(f.error));
            }
            if (f.anyRejected != null) {
                return new RecordResult(RecordResult.Outcome.REJECTED, f.written, List.of(), Optional.of(f.anyRejected));
            }
            return new RecordResult(RecordResult.Outcome.WRITTEN, f.written, List.of(), Optional.empty());
        }
    }

    /**
     * Writes what the backlog holds, oldest first, one transaction per poll.
     *
     * @return how many polls were written
     * @throws StoreException when the database still fails (the backlog keeps the rest)
     */
    public int flush() {
        RecordResult r = drain();
        if (r.outcome() == RecordResult.Outcome.BACKLOGGED) {
            throw r.error().orElseThrow();
        }
        return r.written();
    }

    public synchronized LedgerStats stats() {
        return new LedgerStats(backlogSize(), options.backlogLimit(), droppedPolls, droppedLabelRows, writtenPolls,
                skippedPolls, stalePolls, rejectedPolls, resets, tableResets, addressResets, implausible, writeErrors,
                Optional.ofNullable(lastError).map(Throwable::getMessage),
                Optional.ofNullable(lastError).map(e -> e.kind().label()),
                Optional.ofNullable(lastErrorAt), Optional.ofNullable(lastWriteAt),
                clockJumpsForward, clockJumpsBackward, Optional.ofNullable(lastClockJump));
    }

    /**
     * The latest time this ledger booked a poll at since it started (any host), which unlike the wall
     * clock never jumps to a poll stamped years ahead; for what must not follow such a jump (retention
     * cut-offs).
     */
    public synchronized Optional<Instant> lastBookedAt() {
        return Optional.ofNullable(lastBookedAt);
    }

    private int backlogSize() {
        return backlog.size() + (inFlight == null ? 0 : 1);
    }

    private void dropOldest() {
        Queued dropped = backlog.removeFirst();
        droppedPolls++;
        droppedLabelRows += dropped.observation.labels().size();
    }

    private static final class Flushed {
        int written;
        StoreException error;
        StoreException rejected;
        StoreException anyRejected;
        boolean lastStale;
        List<LabelDelta> lastDeltas = List.of();
    }

    /**
     * Writes the backlog, oldest first; the caller holds {@link #writing}. The poll being written is
     * taken out of the deque for the transaction (so {@link #enqueue} may drop older ones meanwhile
     * without touching it) and put back first if the database fails.
     */
    private Flushed write(Observation current) {
        Flushed f = new Flushed();
        while (true) {
            Queued q;
            Observation o;
            synchronized (this) {
                q = backlog.pollFirst();
                if (q == null) {
                    return f;
                }
                o = q.observation;
                inFlight = q;
            }
            Written w;
            try {
                w = writeOne(q);
            } catch (StoreException e) {
                synchronized (this) {
                    inFlight = null;
                    backlog.addFirst(q);
                    while (backlog.size() > options.backlogLimit()) {
                        dropOldest();
                    }
                    writeErrors++;
                    lastError = e;
                    lastErrorAt = clock.instant();
                }
                f.error = e;
                return f;
            } catch (IllegalArgumentException | IllegalStateException e) {
                // this poll can never be written (bad input, or a stored counter that is not a u64):
                // drop it rather than block every later poll behind it
                synchronized (this) {
                    inFlight = null;
                    rejectedPolls++;
                    writeErrors++;
                    lastError = new StoreException(StoreException.Kind.OTHER, store.config().target(),
                            "rejected the poll of " + o.host() + " at " + o.takenAt(), e);
                    lastErrorAt = clock.instant();
                    f.anyRejected = lastError;
                    if (o == current) {
                        f.rejected = lastError;
                    }
                }
                continue;
            } catch (RuntimeException e) {
                // a bug: keep the poll, first in line, for the next try
                synchronized (this) {
                    inFlight = null;
                    backlog.addFirst(q);
                }
                throw e;
            }
            synchronized (this) {
                inFlight = null;
                lastError = w.closeError();
                lastWriteAt = clock.instant();
                if (w.closeError() != null) {
                    writeErrors++;
                    lastErrorAt = lastWriteAt;
                }
                if (w.stale()) {
                    stalePolls++;
                } else {
                    w.jump().ifPresent(j -> {
                        if (j.forward()) {
                            clockJumpsForward++;
                        } else {
                            clockJumpsBackward++;
                        }
                        lastClockJump = j;
                    });
                    writtenPolls++;
                    f.written++;
                    resets += w.resets();
                    tableResets += w.tableResets();
                    addressResets += w.addressResets();
                    if (lastBookedAt == null || w.bookedAt().isAfter(lastBookedAt)) {
                        lastBookedAt = w.bookedAt();
                    }
                    implausible += w.implausible();
                }
            }
            if (o == current) {
                f.lastStale = w.stale();
                f.lastDeltas = w.deltas();
            }
        }
    }

    /** What writing one observation did. */
    private record Written(boolean stale, int resets, int tableResets, int addressResets, long implausible, List<LabelDelta> deltas,
                           StoreException closeError, Optional<ClockJump> jump, Instant bookedAt) {
        static final Written STALE = new Written(true, 0, 0, 0, 0, List.of(), null, Optional.empty(), null);
    }

    /**
     * Stores one poll (one transaction), then closes the buckets before its own and seals a day when
     * one is due (a transaction each). The caller holds {@link #writing}.
     */
    private Written writeOne(Queued q) {
        Observation polled = q.observation;
        for (int attempt = 0; ; attempt++) {
            Observation o = polled;
            HostLedger h = hosts.get(o.host());
            if (h == null) {
                h = tables.load(polled.host()).map(s -> HostLedger.of(polled.host(), s)).orElse(null);
                if (h != null) {
                    hosts.put(o.host(), h);
                }
            }
            if (q.decision == null) {
                if (h != null && o.takenAt().equals(h.lastPolledAt)) {
                    // already stored: a retry, by a restarted pfmeter, of a commit that did go through
                    return Written.STALE;
                }
                q.decision = pollClock.decide(o.host(), Optional.ofNullable(h).map(x -> x.lastPolledAt),
                        Optional.ofNullable(clocks.get(o.host())), o.takenAt(), q.elapsed);
            }
            Instant at = q.decision.bookAt();
            if (h != null && !at.isAfter(h.lastPolledAt)) {
                // already stored: a retry of a commit that did go through
                return Written.STALE;
            }
            if (!at.equals(o.takenAt())) {
                o = new Observation(o.host(), at, o.checksum(), o.since(), o.labels(), o.tables(), o.addresses());
            }
            PollAccounting.Accounted a = PollAccounting.account(Optional.ofNullable(h)
                    .map(x -> new PollAccounting.Previous(x.checksum, x.since, x.latest, Optional.of(x.lastPolledAt))), o);
            boolean firstInSlot = h == null || !SlotGrid.slotOf(o.takenAt()).equals(SlotGrid.slotOf(h.lastPolledAt));
            LedgerStore.PollWrite w = new LedgerStore.PollWrite(o.host(), o.takenAt(), o.checksum(), o.since(),
                    Optional.ofNullable(h).map(x -> x.lastPolledAt), firstInSlot, a.entries(), a.events());
            boolean stored;
            try {
                stored = tables.writePoll(w);
            } catch (RuntimeException e) {
                forget(o.host());
                throw e;
            }
            if (!stored) {
                // the database does not hold what this ledger remembers: read it again, once
                forget(o.host());
                if (attempt == 0) {
                    continue;
                }
                throw new IllegalStateException("the stored ledger of " + o.host()
                        + " changed under this pfmeter twice in a row: is another pfmeter writing the same host?");
            }
            if (h == null) {
                h = HostLedger.first(o, a.entries());
                hosts.put(o.host(), h);
            } else {
                h.stored(o, a.entries());
            }
            q.decision.next().ifPresentOrElse(s -> clocks.put(polled.host(), s), () -> clocks.remove(polled.host()));
            StoreException closeError = closeAndSeal(h, SlotGrid.slotOf(o.takenAt()));
            return new Written(false, a.resets(), a.tableResets(), a.addressResets(), a.implausible(), a.deltas(), closeError,
                    q.decision.jump(), o.takenAt());
        }
    }

    /**
     * Closes every open bucket before {@code bucket}, then seals the days that lie wholly before
     * {@code bucket}, oldest first, one transaction each: the first due day always, more while the
     * {@link #SEAL_BUDGET} lasts. A failure here loses nothing: the poll is stored, and what was not
     * closed is still in the journal, what was not sealed still in {@code usage_5m}; the next poll
     * reads the host again and goes on from there.
     *
     * @return the failure, or null
     */
    private StoreException closeAndSeal(HostLedger h, Instant bucket) {
        try {
            Optional<Map.Entry<Instant, OpenBucket>> next;
            while ((next = h.closable(bucket)).isPresent()) {
                Map.Entry<Instant, OpenBucket> b = next.get();
                tables.closeBucket(h.host, b.getKey(), b.getValue().usage, b.getValue().last);
                h.open.remove(b.getKey());
            }
            Instant start = clock.instant();
            while (!h.sealedUntil.plus(DaySlots.DAY).isAfter(bucket)) {
                Optional<Instant> sealed = tables.sealNextDay(h.host, bucket);
                if (sealed.isEmpty()) {
                    break;
                }
                h.sealedUntil = sealed.get().plus(DaySlots.DAY);
                if (Duration.between(start, clock.instant()).compareTo(SEAL_BUDGET) >= 0) {
                    break;
                }
            }
            return null;
        } catch (StoreException | IllegalStateException e) {
            forget(h.host);
            return e instanceof StoreException se ? se : new StoreException(StoreException.Kind.OTHER,
                    store.config().target(), "cannot close a 5-minute bucket of " + h.host, e);
        }
    }

    /**
     * For shutdown, after the last poll is written: merges each open bucket's journal rows into one
     * ({@link LedgerStore#mergeJournal}), one transaction a host, for the hosts this ledger writes.
     * A restart reads back the same state; a kill during the merge leaves the rows as they were.
     * Never throws for a database failure (the rows then stay as they are, which is just as
     * correct).
     */
    public JournalMerge mergeJournals() {
        synchronized (writing) {
            int before = 0;
            int after = 0;
            StoreException failed = null;
            for (HostLedger h : List.copyOf(hosts.values())) {
                if (h.open.values().stream().noneMatch(b -> b.rows > 1)) {
                    continue;
                }
                try {
                    Optional<LedgerStore.Merge> m = tables.mergeJournal(h.host, h.lastPolledAt);
                    if (m.isPresent()) {
                        before += m.get().rowsBefore();
                        after += m.get().rowsAfter();
                        h.open.values().forEach(b -> b.rows = 1);
                    } else {
                        forget(h.host);
                        failed = new StoreException(StoreException.Kind.OTHER, store.config().target(),
                                "the stored ledger of " + h.host + " is not this pfmeter's: its journal was not merged", null);
                    }
                } catch (StoreException | IllegalStateException e) {
                    forget(h.host);
                    failed = e instanceof StoreException se ? se : new StoreException(StoreException.Kind.OTHER,
                            store.config().target(), "cannot merge the journal of " + h.host, e);
                }
            }
            return new JournalMerge(before, after, Optional.ofNullable(failed));
        }
    }

    /**
     * What {@link #mergeJournals} did.
     *
     * @param rowsBefore journal rows of the hosts merged, before
     * @param rowsAfter  and after (one per open bucket)
     * @param failure    the failure of the last host that could not be merged
     */
    public record JournalMerge(int rowsBefore, int rowsAfter, Optional<StoreException> failure) {
    }

    private void forget(String host) {
        hosts.remove(host);
        tables.forget(host);
    }
}
