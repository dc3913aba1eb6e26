package org.pfmeter.pf.trace;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The polls of a trace as a replayer ({@link ReplayPfDevice}, {@link ReplayNetlinkSocket}) serves them:
 * where each starts and when it was taken, noted by a {@link Scan} while the trace is checked, and which
 * one is being served. The trace's first status request is answered from poll 1; each later one starts
 * the next poll, and after the last poll the last again, so counters move as they did. Not thread-safe:
 * the replayer calls it under its own lock.
 */
final class TracePolls {

    /** Where a poll's exchanges start (after its marker) and when it was taken. */
    record Start(long offset, int line, Instant at) {

        /** The lines of {@code input} from this poll's start on, numbered as in the whole trace. */
        TraceLines open(String source, TraceInput input) throws IOException {
            return new TraceLines(source, input.openAt(offset), offset, line);
        }
    }

    private final List<Start> starts;
    private int poll;
    private boolean statusServed;

    private TracePolls(List<Start> starts) {
        this.starts = starts;
    }

    /**
     * A status request, the first request of a poll: the poll it starts (the next one, or the last again
     * after the last), or -1 for the trace's first, which the poll being served answers.
     */
    int status() {
        if (!statusServed) {
            statusServed = true;
            return -1;
        }
        return next();
    }

    /** The poll the next status request starts (the first: poll 1). */
    private int next() {
        return !statusServed ? 0 : Math.min(poll + 1, starts.size() - 1);
    }

    /** Serves poll {@code p} from now on. */
    void moveTo(int p) {
        poll = p;
    }

    /** The index of the poll being served. */
    int current() {
        return poll;
    }

    Start start(int p) {
        return starts.get(p);
    }

    /** Where the poll being served starts. */
    Start start() {
        return starts.get(poll);
    }

    int count() {
        return starts.size();
    }

    /** "poll 2 of 3": the poll being served, for the errors that name it. */
    String where() {
        return "poll " + (poll + 1) + " of " + starts.size();
    }

    /** "1 poll", "3 polls": for a replayer's description. */
    String counted() {
        return starts.size() + " poll" + (starts.size() == 1 ? "" : "s");
    }

    /**
     * A clock at the recorded time of the poll the next read will be served from (a reader asks the
     * time just before its first request), so replayed snapshots carry their recorded times; read under
     * {@code lock}, the replayer's.
     */
    Clock recordedClock(Object lock) {
        return new Clock() {
            @Override
            public Instant instant() {
                synchronized (lock) {
                    return starts.get(next()).at();
                }
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
    }

    /**
     * Notes where each poll starts while a replayer checks its trace entry by entry, holding each poll
     * to {@link TraceLimits#MAX_POLL_BYTES} and the trace to {@link TraceLimits#MAX_POLLS}. The
     * exchanges before the first marker are poll 1's; a poll without exchanges is no poll.
     */
    static final class Scan {
        private final String source;
        private final TraceLines lines;
        private final List<Start> polls = new ArrayList<>();
        private Start current;
        private long pollBytesFrom;
        private boolean currentHasEntries;
        private boolean anyEntry;
        private int markers;

        /** Starts where {@code lines} stands: after the header. */
        Scan(String source, TraceLines lines) {
            this.source = source;
            this.lines = lines;
            this.current = new Start(lines.offset(), lines.number(), null);
            this.pollBytesFrom = lines.offset();
        }

        /** Before each entry is read: the current poll may not read past its {@link TraceLimits#MAX_POLL_BYTES}. */
        void limitPoll() {
            int pollNo = polls.size() + 1;
            lines.limit(pollBytesFrom + TraceLimits.MAX_POLL_BYTES, () -> "poll " + pollNo + " holds more than "
                    + TraceLimits.size(TraceLimits.MAX_POLL_BYTES) + ", more than a trace's poll may hold (pfmeter record"
                    + " refuses such a poll): not a pfmeter trace (a gzip bomb?) or a damaged one");
        }

        /**
         * A poll marker at {@code line} and {@code offset}, taken {@code at}; the poll's exchanges start at
         * {@code from}, after line {@code lineBefore}.
         */
        void marker(int line, long offset, Instant at, long from, int lineBefore) {
            if (++markers > TraceLimits.MAX_POLLS) {
                throw new TraceException(TraceEntries.where(source, line) + ": more than " + TraceLimits.MAX_POLLS
                        + " polls, more than a trace may hold: not a pfmeter trace, or record fewer polls");
            }
            if (currentHasEntries) {
                polls.add(current);
                current = new Start(from, lineBefore, at);
                currentHasEntries = false;
            } else {
                // a poll marker after an empty poll moves its start; the first marker's time stays
                current = new Start(from, lineBefore, current.at() == null ? at : current.at());
            }
            pollBytesFrom = offset;
        }

        /** An exchange of the current poll. */
        void exchange() {
            currentHasEntries = true;
            anyEntry = true;
        }

        /**
         * The polls noted, a poll before any marker taken at {@code takenAt} (the header's); a trace
         * without exchanges is refused.
         */
        TracePolls finish(Instant takenAt) {
            if (currentHasEntries) {
                polls.add(current);
            }
            if (!anyEntry) {
                throw new TraceException(source + " holds a header but no exchanges");
            }
            List<Start> timed = new ArrayList<>(polls.size());
            for (Start p : polls) {
                timed.add(p.at() == null ? new Start(p.offset(), p.line(), takenAt) : p);
            }
            return new TracePolls(List.copyOf(timed));
        }
    }
}
