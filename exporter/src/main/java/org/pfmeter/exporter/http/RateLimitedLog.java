package org.pfmeter.exporter.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * At most one line per period for something a client can cause at will (a bad request, a refused
 * connection): a log that grows with every hostile request is itself a way to fill the disk. The
 * first event of a period is written, with how many like it were left out since the last line; the
 * rest of the period only counts.
 */
final class RateLimitedLog {

    private final Clock clock;
    private final Duration period;
    private final BiConsumer<String, Throwable> sink;
    private Instant next = Instant.MIN;
    private long suppressed;

    /** @param sink where a line goes, with its exception or null, e.g. a logger's {@code warn} */
    RateLimitedLog(Clock clock, Duration period, BiConsumer<String, Throwable> sink) {
        this.clock = clock;
        this.period = period;
        this.sink = sink;
    }

    /** Writes {@code line} unless a line was written less than a period ago; then only counts it. */
    void log(String line) {
        log(line, null);
    }

    /** As {@link #log(String)}, with the exception (its stack trace too) when the line is written. */
    void log(String line, Throwable cause) {
        String out;
        synchronized (this) {
            Instant now = clock.instant();
            if (now.isBefore(next)) {
                suppressed++;
                return;
            }
            out = suppressed == 0 ? line : line + " (and " + suppressed + " more like it since the last such line)";
            suppressed = 0;
            next = now.plus(period);
        }
        sink.accept(out, cause);
    }

    /** Events counted but not written since the last line. */
    synchronized long suppressed() {
        return suppressed;
    }
}
