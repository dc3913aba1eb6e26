package org.pfmeter.accounting.ledger;

import java.util.List;
import java.util.Optional;
import org.pfmeter.accounting.store.StoreException;

/**
 * What {@link Ledger#record} did with one poll (or {@link Ledger#drain} with the backlog).
 *
 * @param outcome what happened to this poll
 * @param written how many polls reached the database in this call (the backlog's and this one)
 * @param deltas  this poll's deltas when it was written in this call, else empty
 * @param error   the database failure when the poll stays in the backlog, or why it was rejected
 */
public record RecordResult(Outcome outcome, int written, List<LabelDelta> deltas, Optional<StoreException> error) {

    public enum Outcome {
        /** Stored, together with any backlog before it. */
        WRITTEN,
        /** The database failed: kept in the in-memory backlog, written by a later call. */
        BACKLOGGED,
        /** pf's status or rules could not be read in this poll: nothing to account. */
        SKIPPED_INCOMPLETE,
        /** The database already holds this host's poll at this time or later: nothing counted twice. */
        SKIPPED_STALE,
        /** The poll cannot be written at all (see the error); dropped so it does not block later polls. */
        REJECTED
    }
}
