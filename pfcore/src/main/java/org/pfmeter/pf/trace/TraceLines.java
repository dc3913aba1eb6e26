package org.pfmeter.pf.trace;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The lines of a trace, read from bytes without ever holding more than one line of at most
 * {@link TraceLimits#MAX_LINE_BYTES}: a longer line is refused with its number before it is read, so a
 * gigabyte line or a gzip bomb of one endless line costs a bounded buffer. Each line knows its number
 * and the (uncompressed) offset it starts at, so a reader can come back to it.
 */
final class TraceLines implements Closeable {

    /** One line without its end (a trailing CR is dropped): {@code bytes[0, length)}. */
    record Line(int number, long offset, byte[] bytes, int length) {
        boolean blank() {
            for (int i = 0; i < length; i++) {
                byte b = bytes[i];
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }

    private final String source;
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int end;
    private long offset;
    private int number;
    private byte[] line = new byte[1 << 12];
    private long limit = TraceLimits.MAX_TRACE_BYTES;
    private java.util.function.Supplier<String> overLimit = () -> "the trace holds more than "
            + TraceLimits.size(TraceLimits.MAX_TRACE_BYTES) + " uncompressed, more than a trace may hold: record fewer polls";

    /**
     * @param offset the uncompressed offset {@code in} starts at
     * @param number the number of the line before the first one {@code in} returns
     */
    TraceLines(String source, InputStream in, long offset, int number) {
        this.source = source;
        this.in = in;
        this.offset = offset;
        this.number = number;
    }

    /** The next line, or null at the end; the bytes are valid until the next call. */
    Line next() throws IOException {
        long start = offset;
        int len = 0;
        while (true) {
            if (pos == end) {
                end = in.read(buf);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    if (len == 0) {
                        return null;
                    }
                    return line(start, len);
                }
            }
            int nl = -1;
            for (int i = pos; i < end; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int take = (nl < 0 ? end : nl) - pos;
            if (offset + take > limit) {
                throw new TraceException(source + ":" + (number + 1) + ": " + overLimit.get());
            }
            if ((long) len + take > TraceLimits.MAX_LINE_BYTES) {
                throw new TraceException(source + ":" + (number + 1) + " is longer than "
                        + TraceLimits.size(TraceLimits.MAX_LINE_BYTES) + ", more than a trace line may hold"
                        + " (pfmeter writes at most " + TraceLimits.size(2L * TraceLimits.CHUNK_BYTES)
                        + " of hex a line): not a pfmeter trace, or a damaged one; record it again");
            }
            if (len + take > line.length) {
                line = java.util.Arrays.copyOf(line, (int) Math.min(TraceLimits.MAX_LINE_BYTES, Math.max(2L * line.length, len + take)));
            }
            System.arraycopy(buf, pos, line, len, take);
            len += take;
            offset += take;
            pos += take;
            if (nl >= 0) {
                pos++;
                offset++;
                return line(start, len);
            }
        }
    }

    private Line line(long start, int len) {
        number++;
        int l = len > 0 && line[len - 1] == '\r' ? len - 1 : len;
        return new Line(number, start, line, l);
    }

    /**
     * Refuses to read past {@code end} (an uncompressed offset, at most the whole trace's limit) with
     * {@code why}: how a poll's size is bounded while blank or endless lines are read.
     */
    void limit(long end, java.util.function.Supplier<String> why) {
        limit = Math.min(end, TraceLimits.MAX_TRACE_BYTES);
        overLimit = end < TraceLimits.MAX_TRACE_BYTES ? why : overLimit;
    }

    /** The offset the next line starts at. */
    long offset() {
        return offset;
    }

    /** The number of the last line returned. */
    int number() {
        return number;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
