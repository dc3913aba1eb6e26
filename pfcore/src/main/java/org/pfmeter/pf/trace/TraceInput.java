package org.pfmeter.pf.trace;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;

/**
 * Where a trace's bytes come from, opened again at any uncompressed offset: replay keeps offsets, not
 * lines. A plain file seeks; a gzip file is decompressed again from its start up to the offset (which
 * replay needs only to serve the last poll again, or an exchange asked for far out of order).
 */
interface TraceInput {

    InputStream openAt(long offset) throws IOException;

    /** Reads a whole trace once (checking it) into what replays it. */
    @FunctionalInterface
    interface Scan<T> {
        T scan(String source, TraceInput input) throws java.io.IOException;
    }

    /** Opens a trace file for {@code scan}; a name ending in ".gz" is read through gzip. */
    static <T> T open(Path file, Scan<T> scan) throws java.io.IOException {
        if (!java.nio.file.Files.isReadable(file) || java.nio.file.Files.isDirectory(file)) {
            throw new TraceException("cannot read the trace " + file + ": no such readable file");
        }
        TraceInput input = file.getFileName().toString().endsWith(".gz") ? gzip(file) : file(file);
        try {
            return scan.scan(file.toString(), input);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new TraceException(file + " is not a complete gzip file (" + e.getMessage() + "): a truncated trace? record it again");
        }
    }

    /** A trace held in memory (tests, small traces), for {@code scan}; every problem names {@code source} and the line. */
    static <T> T read(String source, java.io.BufferedReader r, Scan<T> scan) throws java.io.IOException {
        StringBuilder all = new StringBuilder();
        char[] buf = new char[1 << 16];
        int n;
        while ((n = r.read(buf)) > 0) {
            all.append(buf, 0, n);
        }
        return scan.scan(source, bytes(all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static TraceInput file(Path file) {
        return offset -> {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            ch.position(offset);
            return Channels.newInputStream(ch);
        };
    }

    static TraceInput gzip(Path file) {
        return offset -> {
            InputStream in = new GZIPInputStream(java.nio.file.Files.newInputStream(file), 1 << 16);
            try {
                in.skipNBytes(offset);
            } catch (IOException e) {
                in.close();
                throw e;
            }
            return in;
        };
    }

    static TraceInput bytes(byte[] b) {
        return offset -> new ByteArrayInputStream(b, (int) Math.min(offset, b.length), b.length);
    }
}
