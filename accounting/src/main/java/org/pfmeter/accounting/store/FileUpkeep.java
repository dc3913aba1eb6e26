package org.pfmeter.accounting.store;

import java.time.Duration;

/**
 * What the store has done to its embedded H2 file since it was opened: the in-place compactions
 * after writes and the rewrites into a new file ({@link FileRewrite}). All zero for PostgreSQL.
 *
 * @param compactions       in-place compaction runs after writes
 * @param compactionTime    the time they took together
 * @param budgetSpent       runs that spent their whole budget (the file had more to compact)
 * @param rewrites          rewrites of the file into a new one while running
 * @param rewriteTime       the time they took together (the ledger's writes waited meanwhile)
 * @param rewritesSkipped   rewrites that were due but skipped because another session had the database open
 */
public record FileUpkeep(long compactions, Duration compactionTime, long budgetSpent, long rewrites,
        Duration rewriteTime, long rewritesSkipped) {

    /** Nothing done yet. */
    public static final FileUpkeep NONE = new FileUpkeep(0, Duration.ZERO, 0, 0, Duration.ZERO, 0);

    FileUpkeep afterCompaction(Compaction run, Duration budget) {
        return new FileUpkeep(compactions + 1, compactionTime.plus(run.took()),
                budgetSpent + (run.took().compareTo(budget) >= 0 ? 1 : 0), rewrites, rewriteTime, rewritesSkipped);
    }

    FileUpkeep afterRewrite(Duration took) {
        return new FileUpkeep(compactions, compactionTime, budgetSpent, rewrites + 1, rewriteTime.plus(took), rewritesSkipped);
    }

    FileUpkeep afterSkippedRewrite() {
        return new FileUpkeep(compactions, compactionTime, budgetSpent, rewrites, rewriteTime, rewritesSkipped + 1);
    }
}
