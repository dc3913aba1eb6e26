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
