package org.pfmeter.accounting.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The byte format of {@code poll_journal.entries} (migration V5): the labels one poll changed
 * (version 1), or, after {@link LedgerStore#mergeJournal}, what several polls of one open bucket
 * changed (version 2).
 *
 * <pre>
 * entries  = version:u8  count:varint  entry{count}
 * version 1, one poll (what every poll writes):
 * entry    = series_id:varint  flags:u8  rule_count:varint
 *            evaluations packets_in packets_out bytes_in bytes_out states_total   (raw, varint each)
 *            [ packets_in packets_out bytes_in bytes_out evaluations states_created states_max ]
 *                                                     (the poll's share of its bucket, when flags bit 0)
 * flags    = bit 0: the poll booked usage for the label; bit 1: it was a reset (counted current value)
 * version 2, the polls of one bucket merged into the row of its last poll (written at shutdown):
 * entry    = series_id:varint  flags:u8  age_ns:varint  rule_count:varint  (raw, 6 varints as above)
 *            [ packets_in packets_out bytes_in bytes_out evaluations states_created states_max
 *              polls:varint  resets:varint ]          (the polls' sum in the bucket, when flags bit 0)
 * flags    = bit 0: booked (bit 1 is not used: resets are counted)
 * age_ns   = how long before the row's polled_at the raw counters were read (the label's last poll)
 * varint   = unsigned LEB128 of a 64-bit value: 7 bits a byte, low first, high bit = more (1 to 10 bytes)
 * versions 3 and 4 (written since 2026-12-03, issue 19): versions 1 and 2 followed by
 * crc      = CRC-32C, big-endian, 4 bytes, over the host's name (UTF-8, after its length as a varint)
 *            and every byte of the row before it
 * </pre>
 *
 * The checksum covers the host so that a row copied to another host's journal is caught; not the
 * row's {@code polled_at}, which the database stores to the microsecond and may round.
 *
 * Counters pf keeps grow slowly in their high bits, so a label takes about 40 to 70 bytes instead
 * of the 110 a fixed layout would. {@link #encode} writes version 1 whenever the entries fit it
 * (one poll's share, age 0), so a poll's row is unchanged by version 2. Pure; the store calls it.
 */
public final class JournalCodec {

    static final int VERSION = 1;
    /** Merged rows: entries carry their age and their polls' and resets' counts. */
    static final int VERSION_MERGED = 2;
    /** Versions 1 and 2 with a checksum: their number plus this. */
    static final int CHECKED = 2;
    private static final int CRC = 4;
    private static final int BOOKED = 1;
    private static final int RESET = 2;

    /**
     * One label of a journal row, as stored: the series' number instead of its key.
     *
     * @param booked   what the row's poll (or, merged, its bucket's polls) added to the bucket
     * @param ageNanos how long before the row's {@code polled_at} {@code raw} was read: 0 in a poll's row
     */
    public record Entry(int seriesId, Counters raw, Optional<SlotUsage> booked, long ageNanos) {
        public Entry {
            Objects.requireNonNull(raw, "raw");
            Objects.requireNonNull(booked, "booked");
            booked.ifPresent(b -> {
                if (b.polls() < 1 || b.resets() > b.polls()) {
                    throw new IllegalArgumentException("a journal entry books at least one poll and at most as many resets,"
                            + " got " + b);
                }
            });
            if (ageNanos < 0) {
                throw new IllegalArgumentException("a journal entry's age is never negative, got " + ageNanos + " ns");
            }
        }

        /** One poll's entry: its raw counters were read at the row's time. */
        public Entry(int seriesId, Counters raw, Optional<SlotUsage> booked) {
            this(seriesId, raw, booked, 0);
        }

        private boolean onePoll() {
            return ageNanos == 0 && booked.map(b -> b.polls() == 1 && b.resets() <= 1).orElse(true);
        }
    }

    private JournalCodec() {
    }

    /** Version 1 when every entry is one poll's (a poll's row), else version 2 (a merged row). */
    public static byte[] encode(List<Entry> entries) {
        boolean merged = !entries.stream().allMatch(Entry::onePoll);
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + entries.size() * 64);
        out.write(merged ? VERSION_MERGED : VERSION);
        varint(out, entries.size());
        for (Entry e : entries) {
            varint(out, e.seriesId());
            int flags = e.booked().isPresent() ? BOOKED | (!merged && e.booked().get().resets() > 0 ? RESET : 0) : 0;
            out.write(flags);
            if (merged) {
                varint(out, e.ageNanos());
            }
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
                if (merged) {
                    varint(out, u.polls());
                    varint(out, u.resets());
                }
            }
        }
        return out.toByteArray();
    }

    /** {@link #encode(List)} as version 3 or 4: with a checksum over {@code host} and the row. */
    public static byte[] encode(List<Entry> entries, String host) {
        byte[] plain = encode(entries);
        byte[] b = java.util.Arrays.copyOf(plain, plain.length + CRC);
        b[0] += CHECKED;
        int crc = crc(host, b, plain.length);
        for (int k = 0; k < CRC; k++) {
            b[plain.length + k] = (byte) (crc >>> (8 * (CRC - 1 - k)));
        }
        return b;
    }

    private static int crc(String host, byte[] b, int length) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] name = host.getBytes(StandardCharsets.UTF_8);
        varint(head, name.length);
        head.writeBytes(name);
        CRC32C c = new CRC32C();
        c.update(head.toByteArray());
        c.update(b, 0, length);
        return (int) c.getValue();
    }

    /** True for a row with a checksum (version 3 or 4). */
    public static boolean checked(byte[] bytes) {
        return bytes.length > 0 && (bytes[0] == VERSION + CHECKED || bytes[0] == VERSION_MERGED + CHECKED);
    }

    /**
     * Decodes a row of {@code host}'s journal: a row of version 3 or 4 only if its checksum matches;
     * one of version 1 or 2 (written before checksums) as it is.
     *
     * @param row names the row in error messages ("poll_journal fw1 2026-10-01T00:00:10Z")
     * @throws DamagedRowException for bytes that are not what was written, or not such a row
     */
    public static List<Entry> decode(byte[] bytes, String host, String row) {
        if (!checked(bytes)) {
            try {
                return decode(bytes, row);
            } catch (IllegalStateException e) {
                throw e instanceof DamagedRowException d ? d : new DamagedRowException(e.getMessage(), e);
            }
        }
        if (bytes.length < 2 + CRC) {
            throw new DamagedRowException(row + ": " + bytes.length + " bytes, too short for a checked journal row");
        }
        int end = bytes.length - CRC;
        int stored = 0;
        for (int k = end; k < bytes.length; k++) {
            stored = stored << 8 | (bytes[k] & 0xff);
        }
        int computed = crc(host, bytes, end);
        if (stored != computed) {
            throw new DamagedRowException(String.format("%s: checksum mismatch (stored %08x, computed %08x)", row, stored,
                    computed));
        }
        byte[] plain = java.util.Arrays.copyOf(bytes, end);
        plain[0] -= CHECKED;
        try {
            return decode(plain, row);
        } catch (IllegalStateException e) {
            throw new DamagedRowException(e.getMessage() + " (although its checksum matches)", e);
        }
    }

    /**
     * Decodes a row of version 1 or 2 (no checksum).
     *
     * @param row names the row in error messages ("poll_journal fw1 2026-10-01T00:00:10Z")
     * @throws IllegalStateException for bytes that are not such a row
     */
    public static List<Entry> decode(byte[] bytes, String row) {
        Reader r = new Reader(bytes, row);
        int version = r.u8();
        if (version != VERSION && version != VERSION_MERGED) {
            throw new IllegalStateException(row + ": journal format " + version + ", this pfmeter reads " + VERSION
                    + " and " + VERSION_MERGED);
        }
        boolean merged = version == VERSION_MERGED;
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
            if ((flags & ~(BOOKED | RESET)) != 0 || flags == RESET || (merged && (flags & RESET) != 0)) {
                throw new IllegalStateException(row + ": unknown entry flags " + flags);
            }
            long age = merged ? r.varint() : 0;
            if (age < 0) {
                throw new IllegalStateException(row + ": age " + Long.toUnsignedString(age) + " ns out of range");
            }
            long rules = r.varint();
            if (rules < 0 || rules > 0xffff_ffffL) {
                throw new IllegalStateException(row + ": rule count " + Long.toUnsignedString(rules) + " out of range");
            }
            Counters raw = new Counters((int) rules, r.varint(), r.varint(), r.varint(), r.varint(), r.varint(), r.varint());
            Optional<SlotUsage> booked = Optional.empty();
            if ((flags & BOOKED) != 0) {
                try {
                    long[] v = {r.varint(), r.varint(), r.varint(), r.varint(), r.varint(), r.varint(), r.varint()};
                    long polls = merged ? r.varint() : 1;
                    long resets = merged ? r.varint() : (flags & RESET) != 0 ? 1 : 0;
                    if (polls < 1 || polls > Integer.MAX_VALUE || resets < 0 || resets > polls) {
                        throw new IllegalArgumentException(Long.toUnsignedString(polls) + " polls and "
                                + Long.toUnsignedString(resets) + " resets cannot be");
                    }
                    booked = Optional.of(new SlotUsage(v[0], v[1], v[2], v[3], v[4], v[5], v[6], (int) polls, (int) resets));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(row + ": " + e.getMessage(), e);
                }
            }
            entries.add(new Entry((int) id, raw, booked, age));
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
