package org.pfmeter.pf.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Optional;
import org.pfmeter.pf.abi.PfDeviceException;

/**
 * The lines of a trace being recorded, within {@link TraceLimits}: the one writer of both recorders
 * ({@link RecordingPfDevice}, {@link RecordingNetlinkSocket}). Once a line would not fit, recording
 * stops: that line and every later one are refused with the same {@link TraceException}. Not
 * thread-safe: its recorder serialises the calls.
 */
final class TraceWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Writer out;
    private int polls;
    private long written;
    private long pollStart;
    private TraceException refused;

    TraceWriter(Writer out) {
        this.out = out;
    }

    /** Writes the line that starts poll {@link #polls()} + 1. */
    void markPoll(Instant at) {
        if (polls >= TraceLimits.MAX_POLLS) {
            throw refuse("a trace holds at most " + TraceLimits.MAX_POLLS + " polls: record fewer");
        }
        pollStart = written;
        write(TraceFormat.pollLine(++polls, at));
    }

    int polls() {
        return polls;
    }

    /** What the trace could not hold, once recording stopped because of it. */
    Optional<TraceException> refused() {
        return Optional.ofNullable(refused);
    }

    /** Stops recording (the first reason given is kept) and returns the exception to throw. */
    TraceException refuse(String why) {
        if (refused == null) {
            refused = new TraceException("cannot record: " + why + " (pfmeter replays only what fits " + TraceLimits.class.getSimpleName()
                    + "; see pfcore/README.md, \"What a trace may hold\")");
        }
        return refused;
    }

    /** Writes one line and flushes it, or refuses it when the poll or the trace would outgrow its limit. */
    void write(ObjectNode node) {
        if (refused != null) {
            throw refused;
        }
        try {
            String text = JSON.writeValueAsString(node);
            long bytes = utf8Length(text) + 1L;   // what replay counts: uncompressed bytes
            if (written + bytes - pollStart > TraceLimits.MAX_POLL_BYTES) {
                throw refuse("poll " + polls + " would hold more than " + TraceLimits.size(TraceLimits.MAX_POLL_BYTES));
            }
            if (written + bytes > TraceLimits.MAX_TRACE_BYTES) {
                throw refuse("the trace would hold more than " + TraceLimits.size(TraceLimits.MAX_TRACE_BYTES) + ": record fewer polls");
            }
            out.write(text);
            out.write('\n');
            written += bytes;
            out.flush();
        } catch (IOException e) {
            throw new PfDeviceException("cannot write the trace: " + e.getMessage());
        }
    }

    void close() throws IOException {
        out.close();
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
