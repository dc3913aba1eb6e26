package org.pfmeter.exporter.accounting;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.pfmeter.accounting.ledger.ClockJump;
import org.pfmeter.accounting.ledger.LedgerStats;

/**
 * One warning line when the ledger has counted a clock jump, at most one per {@link #PERIOD}
 * measured on the monotonic clock (the wall clock is the one that jumps): a clock that flaps every
 * poll must not flood the log. A line names the last jump and how many more there were since the
 * previous line; {@code pfmeter_ledger_clock_jumps_total} counts them all.
 */
final class ClockJumpLog {

    static final Duration PERIOD = Duration.ofMinutes(1);

    private final Clock elapsed;
    private final Consumer<String> sink;
    private long seen;
    private long suppressed;
    private Instant next;

    ClockJumpLog(Clock elapsed, Consumer<String> sink) {
        this.elapsed = elapsed;
        this.sink = sink;
    }

    /** After a write pass: logs if the ledger counted a jump since the last call. */
    void after(LedgerStats s) {
        long total = s.clockJumpsForward() + s.clockJumpsBackward();
        if (total <= seen) {
            return;
        }
        long fresh = total - seen;
        seen = total;
        Instant now = elapsed.instant();
        if (next != null && now.isBefore(next)) {
            suppressed += fresh;
            return;
        }
        long more = fresh + suppressed - 1;
        suppressed = 0;
        next = now.plus(PERIOD);
        sink.accept("accounting: " + s.lastClockJump().map(ClockJump::describe).orElse("the clock of the polls jumped")
                + (more > 0 ? " (and " + more + " more clock jumps since the last such line)" : "")
                + "; see pfmeter_ledger_clock_jumps_total");
    }
}
