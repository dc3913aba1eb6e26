package org.pfmeter.accounting.ledger;

import java.time.Instant;
import java.util.Optional;

/**
 * The ledger's health, taken at one instant (the values belong together). For metrics such as
 * {@code pfmeter_ledger_backlog_polls}, {@code pfmeter_ledger_dropped_polls_total},
 * {@code pfmeter_ledger_write_errors_total}.
 *
 * @param backlog             polls waiting in memory for the database
 * @param backlogLimit        the most the backlog keeps
 * @param droppedPolls        polls dropped from a full backlog since start
 * @param droppedLabelRows    the label rows those polls carried
 * @param writtenPolls        polls written since start
 * @param skippedPolls        polls not recorded because pf's status or rules could not be read
 * @param stalePolls          polls not recorded because the database already had them (a retry of a
 *                            commit that did go through: the same stamp as the last stored poll)
 * @param rejectedPolls       polls dropped because they could not be written at all (see lastWriteError)
 * @param resets              label resets detected since start (see {@link Reset})
 * @param tableResets         resets of tables' own counters detected since start ({@link Reset#COUNTERS_CLEARED},
 *                            a pf restart)
 * @param addressResets       resets of the counters of table entries (tables.address-counters) detected since
 *                            start (an entry deleted and added again, a table flushed, {@code pfctl -T zero})
 * @param implausibleValues   label rows with a value too large to be real, not counted
 * @param writeErrors         failed write attempts since start
 * @param lastWriteError      the last write failure's message, cleared by the next success
 * @param lastWriteErrorKind  its {@link org.pfmeter.accounting.store.StoreException.Kind#label()}
 * @param lastWriteErrorAt    when it happened
 * @param lastWriteAt         the last successful write
 * @param clockJumpsForward   polls whose stamp jumped ahead of the elapsed time ({@link ClockJump})
 * @param clockJumpsBackward  polls whose stamp jumped back, or lay before the last stored poll
 * @param lastClockJump       the last of those
 */
public record LedgerStats(
        int backlog,
        int backlogLimit,
        long droppedPolls,
        long droppedLabelRows,
        long writtenPolls,
        long skippedPolls,
        long stalePolls,
        long rejectedPolls,
        long resets,
        long tableResets,
        long addressResets,
        long implausibleValues,
        long writeErrors,
        Optional<String> lastWriteError,
        Optional<String> lastWriteErrorKind,
        Optional<Instant> lastWriteErrorAt,
        Optional<Instant> lastWriteAt,
        long clockJumpsForward,
        long clockJumpsBackward,
        Optional<ClockJump> lastClockJump) {
}
