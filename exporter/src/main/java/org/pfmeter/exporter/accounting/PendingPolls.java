package org.pfmeter.exporter.accounting;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.pfmeter.accounting.ledger.LedgerStats;
import org.pfmeter.accounting.ledger.Observation;
import org.pfmeter.accounting.store.StoreException;

/**
 * The polls taken while the database could not be opened at start (a PostgreSQL server that is
 * down): kept in order and bounded like the ledger's own backlog (the oldest dropped and counted
 * when full), and handed to the ledger once the database opens. Its counters go on being added to
 * the ledger's afterwards, so that the {@code pfmeter_ledger_*} counters never go backwards.
 * Guarded by the caller.
 */
final class PendingPolls {

    private final int limit;
    private final Deque<Taken> polls = new ArrayDeque<>();
    private long droppedPolls;
    private long droppedLabelRows;
    private long skippedPolls;
    private long openFailures;
    private StoreException lastError;
    private Instant lastErrorAt;

    PendingPolls(int limit) {
        this.limit = limit;
    }

    /** A poll and the elapsed clock's reading when it was taken (the ledger judges clock jumps by it). */
    record Taken(Observation observation, Optional<Instant> elapsedAt) {
    }

    void add(Observation o, Optional<Instant> elapsedAt) {
        while (polls.size() >= limit && !polls.isEmpty()) {
            droppedLabelRows += polls.removeFirst().observation().labels().size();
            droppedPolls++;
        }
        polls.addLast(new Taken(o, elapsedAt));
    }

    void skipped() {
        skippedPolls++;
    }

    void openFailed(StoreException e, Instant at) {
        openFailures++;
        lastError = e;
        lastErrorAt = at;
    }

    /** Why the database could not be opened, the last time it was tried. */
    Optional<StoreException> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** The polls kept, oldest first; none are kept afterwards. */
    List<Taken> takeAll() {
        List<Taken> all = List.copyOf(polls);
        polls.clear();
        lastError = null;
        return all;
    }

    /** The ledger's state while the database has not been opened. */
    LedgerStats stats() {
        return new LedgerStats(polls.size(), limit, droppedPolls, droppedLabelRows, 0, skippedPolls, 0, 0, 0, 0, 0, 0,
                openFailures, Optional.ofNullable(lastError).map(Throwable::getMessage),
                Optional.ofNullable(lastError).map(e -> e.kind().label()), Optional.ofNullable(lastErrorAt),
                Optional.empty(), 0, 0, Optional.empty());
    }

    /** The ledger's stats with what happened before it existed added to its counters. */
    LedgerStats plus(LedgerStats l) {
        return new LedgerStats(l.backlog(), l.backlogLimit(), l.droppedPolls() + droppedPolls,
                l.droppedLabelRows() + droppedLabelRows, l.writtenPolls(), l.skippedPolls() + skippedPolls, l.stalePolls(),
                l.rejectedPolls(), l.resets(), l.tableResets(), l.addressResets(), l.implausibleValues(), l.writeErrors() + openFailures, l.lastWriteError(),
                l.lastWriteErrorKind(), l.lastWriteErrorAt().or(() -> Optional.ofNullable(lastErrorAt)), l.lastWriteAt(),
                l.clockJumpsForward(), l.clockJumpsBackward(), l.lastClockJump());
    }
}
