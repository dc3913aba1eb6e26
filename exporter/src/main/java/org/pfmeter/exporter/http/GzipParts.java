package org.pfmeter.exporter.http;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One gzip stream made of a large part compressed once and a small part compressed per answer.
 * Two gzip members one after the other are valid gzip (RFC 1952), but curl and some browsers read
 * only the first. So the large part is kept as the gzip header and deflate blocks ended by a sync
 * flush (byte-aligned, none marked final; RFC 1951 lets the next block follow directly), with the
 * CRC-32 and length of its text; an answer appends the small part's own deflate blocks, the last one
 * final, and the trailer of the whole text. The small part's blocks refer only to its own bytes.
 */
final class GzipParts {

    /** The gzip header: deflate, no name, no time, unknown OS (RFC 1952 2.3). */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    /** The large part: the header and its unfinished deflate blocks, its text's CRC-32 and length. */
    record Head(byte[] bytes, long crc, long length) {
    }

    private GzipParts() {
    }

    static Head head(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, text.length / 8));
        out.writeBytes(HEADER);
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            d.setInput(text);
            byte[] buf = new byte[64 * 1024];
            int n;
            do {
                n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                out.write(buf, 0, n);
            } while (n == buf.length);
        } finally {
            d.end();
        }
        CRC32 crc = new CRC32();
        crc.update(text);
        return new Head(out.toByteArray(), crc.getValue(), text.length);
    }

    /** What follows {@code head} for the rest of the text: its final deflate blocks and the trailer. */
    static byte[] tail(Head head, byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, text.length / 4));
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            d.setInput(text);
            d.finish();
            byte[] buf = new byte[16 * 1024];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
        } finally {
            d.end();
        }
        long crc = update(head.crc(), text);
        long size = (head.length() + text.length) & 0xffffffffL;
        for (long v : new long[] {crc, size}) {
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >>> (8 * i)) & 0xff);
            }
        }
        return out.toByteArray();
    }

    /** The CRC-32 of a text whose first part has CRC-32 {@code crc}, after {@code more}. */
    static long update(long crc, byte[] more) {
        int c = (int) crc ^ 0xffffffff;
        for (byte b : more) {
            c = TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
        }
        return (c ^ 0xffffffff) & 0xffffffffL;
    }
}
