package org.pfmeter.accounting.store;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The byte format of {@code poll_journal.entries} (migration V5): the labels one poll changed.
 *
 * <pre>
 * entries  = version:u8 (1)  count:varint  entry{count}
 * entry    = series_id:varint  flags:u8  rule_count:varint
 *            evaluations packets_in packets_out bytes_in bytes_out states_total   (raw, varint each)
 *            [ packets_in packets_out bytes_in bytes_out evaluations states_created states_max ]
 *                                                     (the poll's share of its bucket, when flags bit 0)
 * flags    = bit 0: the poll booked usage for the label; bit 1: it was a reset (counted current value)
 * varint   = unsigned LEB128 of a 64-bit value: 7 bits a byte, low first, high bit = more (1 to 10 bytes)
 * </pre>
 *
 * Counters pf keeps grow slowly in their high bits, so a label takes about 40 to 70 bytes instead
 * of the 110 a fixed layout would. Pure; the store calls it.
 */
public final class JournalCodec {

    static final int VERSION = 1;
    private static final int BOOKED = 1;
    private static final int RESET = 2;

    /** One label of a journal row, as stored: the series' number instead of its key. */
    public record Entry(int seriesId, Counters raw, Optional<SlotUsage> booked) {
        public Entry {
            Objects.requireNonNull(raw, "raw");
            Objects.requireNonNull(booked, "booked");
            booked.ifPresent(b -> {
                if (b.polls() != 1 || b.resets() > 1) {
                    throw new IllegalArgumentException("a journal entry is one poll's share: polls 1, resets 0 or 1, got " + b);
                }
            });
        }
    }

    private JournalCodec() {
    }

    public static byte[] encode(List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + entries.size() * 64);
        out.write(VERSION);
        varint(out, entries.size());
        for (Entry e : entries) {
            varint(out, e.seriesId());
            int flags = e.booked().isPresent() ? BOOKED | (e.booked().get().resets() > 0 ? RESET : 0) : 0;
            out.write(flags);
            Counters c = e.raw();
            varint(out, Integer.toUnsignedLong(c.rules()));
            varint(out, c.evaluations());
            varint(out, c.packetsIn());
            varint(out, c.packetsOut());
            varint(out, c.bytesIn());
            varint(out, c.bytesOut());
            varint(out, c.statesTotal());
            if (e.booked().isPresent()) {
                SlotUsage u = e.booked().get();
                varint(out, u.packetsIn());
                varint(out, u.packetsOut());
                varint(out, u.bytesIn());
                varint(out, u.bytesOut());
                varint(out, u.evaluations());
                varint(out, u.statesCreated());
                varint(out, u.statesMax());
            }
        }
        return out.toByteArray();
    }

    /**
     * @param row names the row in error messages ("poll_journal fw1 2026-10-01T00:00:10Z")
     * @throws IllegalStateException for bytes that are not such a row
     */
    public static List<Entry> decode(byte[] bytes, String row) {
        Reader r = new Reader(bytes, row);
        int version = r.u8();
        if (version != VERSION) {
            throw new IllegalStateException(row + ": journal format " + version + ", this pfmeter reads " + VERSION);
        }
        long count = r.varint();
        if (count < 0 || count > bytes.length) {
            throw new IllegalStateException(row + ": " + count + " entries cannot fit in " + bytes.length + " bytes");
        }
        List<Entry> entries = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            long id = r.varint();
            if (id <= 0 || id > Integer.MAX_VALUE) {
                throw new IllegalStateException(row + ": series id " + Long.toUnsignedString(id) + " out of range");
            }
            int flags = r.u8();
            if ((flags & ~(BOOKED | RESET)) != 0 || flags == RESET) {
                throw new IllegalStateException(row + ": unknown entry flags " + flags);
            }
            long rules = r.varint();
            if (rules < 0 || rules > 0xffff_ffffL) {
                throw new IllegalStateException(row + ": rule count " + Long.toUnsignedString(rules) + " out of range");
            }
            Counters raw = new Counters((int) rules, r.varint(), r.varint(), r.varint(), r.varint(), r.varint(), r.varint());
            Optional<SlotUsage> booked = Optional.empty();
            if ((flags & BOOKED) != 0) {
                try {
                    booked = Optional.of(new SlotUsage(r.varint(), r.varint(), r.varint(), r.varint(), r.varint(), r.varint(),
                            r.varint(), 1, (flags & RESET) != 0 ? 1 : 0));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(row + ": " + e.getMessage(), e);
                }
            }
            entries.add(new Entry((int) id, raw, booked));
        }
        if (r.pos != bytes.length) {
            throw new IllegalStateException(row + ": " + (bytes.length - r.pos) + " bytes after the last entry");
        }
        return entries;
    }

    static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static final class Reader {
        private final byte[] b;
        private final String row;
        int pos;

        Reader(byte[] b, String row) {
            this.b = b;
            this.row = row;
        }

        int u8() {
            if (pos >= b.length) {
                throw new IllegalStateException(row + ": ends in the middle of an entry (" + b.length + " bytes)");
            }
            return b[pos++] & 0xFF;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int x = u8();
                if (shift == 63 && (x & 0xFE) != 0) {
                    throw new IllegalStateException(row + ": a number longer than 64 bits at byte " + (pos - 1));
                }
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalStateException(row + ": a number longer than 64 bits at byte " + (pos - 1));
        }
    }
}
