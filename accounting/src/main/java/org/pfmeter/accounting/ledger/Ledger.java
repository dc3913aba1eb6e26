package org.pfmeter.accounting.ledger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pfmeter.accounting.store.AccountingStore;
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
 * failure is in {@link #stats()} and in the {@link RecordResult}. The poller calls
 * {@link #record} once per poll and may call {@link #flush} on a timer while the database is away.
 *
 * <p>Thread-safe: writes are serialised; {@link #stats()} never waits for one (a scrape reads it
 * while a poll is being written) and returns the counters as of the last change.
 */
public final class Ledger {

    private final AccountingStore store;
    private final LedgerOptions options;
    private final Clock clock;
    private final Deque<Observation> backlog = new ArrayDeque<>();

    private long droppedPolls;
    private long droppedLabelRows;
    private long writtenPolls;
    private long skippedPolls;
    private long stalePolls;
    private long rejectedPolls;
    private long resets;
    private long implausible;
    private long writeErrors;
    private StoreException lastError;
    private Instant lastErrorAt;
    private Instant lastWriteAt;
    /** What {@link #stats()} returns: replaced, under the lock, after every change. */
    private volatile LedgerStats published;

    public Ledger(AccountingStore store) {
        this(store, LedgerOptions.defaults(), Clock.systemUTC());
    }

    /** @param clock only stamps {@link LedgerStats}' times; deltas are booked at each snapshot's own time */
    public Ledger(AccountingStore store, LedgerOptions options, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.published = current();
    }

    /**
     * Accounts one poll of {@code host}. Never throws for a database failure: the poll goes to the
     * backlog and the result says why.
     *
     * @param host the firewall's name as stored in every row (e.g. its hostname), 1 to 255 characters
     */
    public synchronized RecordResult record(String host, PfSnapshot snapshot) {
        Optional<Observation> o = Observation.of(host, snapshot);
        if (o.isEmpty()) {
            skippedPolls++;
            published = current();
            return new RecordResult(RecordResult.Outcome.SKIPPED_INCOMPLETE, 0, List.of(), Optional.empty());
        }
        return record(o.get());
    }

    /** Accounts one observation (what {@link #record(String, PfSnapshot)} extracts from a snapshot). */
    public synchronized RecordResult record(Observation observation) {
        Objects.requireNonNull(observation, "observation");
        if (backlog.size() >= options.backlogLimit()) {
            Observation dropped = backlog.removeFirst();
            droppedPolls++;
            droppedLabelRows += dropped.labels().size();
        }
        backlog.addLast(observation);
        published = current();
        Flushed f = drain(observation);
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

    /**
     * Writes what the backlog holds, oldest first, one transaction per poll.
     *
     * @return how many polls were written
     * @throws StoreException when the database still fails (the backlog keeps the rest)
     */
    public synchronized int flush() {
        Flushed f = drain(null);
        if (f.error != null) {
            throw f.error;
        }
        return f.written;
    }

    /** The counters as of the last change; never waits for a write in progress. */
    public LedgerStats stats() {
        return published;
    }

    private LedgerStats current() {
        return new LedgerStats(backlog.size(), options.backlogLimit(), droppedPolls, droppedLabelRows, writtenPolls,
                skippedPolls, stalePolls, rejectedPolls, resets, implausible, writeErrors,
                Optional.ofNullable(lastError).map(Throwable::getMessage),
                Optional.ofNullable(lastError).map(e -> e.kind().label()),
                Optional.ofNullable(lastErrorAt), Optional.ofNullable(lastWriteAt));
    }

    private static final class Flushed {
        int written;
        StoreException error;
        StoreException rejected;
        boolean lastStale;
        List<LabelDelta> lastDeltas = List.of();
    }

    private Flushed drain(Observation current) {
        try {
            return drainBacklog(current);
        } finally {
            published = current();
        }
    }

    private Flushed drainBacklog(Observation current) {
        Flushed f = new Flushed();
        while (!backlog.isEmpty()) {
            published = current();
            Observation o = backlog.peekFirst();
            LedgerWriter.Written w;
            try {
                w = store.inTransaction("record the poll of " + o.host() + " at " + o.takenAt(),
                        c -> LedgerWriter.write(c, o));
            } catch (StoreException e) {
                writeErrors++;
                lastError = e;
                lastErrorAt = clock.instant();
                f.error = e;
                return f;
            } catch (IllegalArgumentException | IllegalStateException e) {
                // this poll can never be written (bad input, or a stored counter that is not a u64):
                // drop it rather than block every later poll behind it
                backlog.removeFirst();
                rejectedPolls++;
                writeErrors++;
                lastError = new StoreException(StoreException.Kind.OTHER, store.config().target(),
                        "rejected the poll of " + o.host() + " at " + o.takenAt(), e);
                lastErrorAt = clock.instant();
                if (o == current) {
                    f.rejected = lastError;
                }
                continue;
            }
            backlog.removeFirst();
            lastError = null;
            lastWriteAt = clock.instant();
            if (w.stale()) {
                stalePolls++;
            } else {
                writtenPolls++;
                f.written++;
                resets += w.resets();
                implausible += w.implausible();
            }
            if (o == current) {
                f.lastStale = w.stale();
                f.lastDeltas = w.deltas();
            }
        }
        return f;
    }
}
