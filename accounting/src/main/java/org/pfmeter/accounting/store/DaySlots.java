package org.pfmeter.accounting.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.pfmeter.accounting.billing.SlotRows;

/**
 * The packed 5-minute counts of one label's UTC day, as {@code usage_5m_day.slots} stores them. A
 * day with no row is empty. Otherwise a row is in one of two formats, told apart by its first byte:
 * <ul>
 *   <li><b>fixed</b> (migration V5, what the ledger wrote until 2026-12-03): per slot with a row, in
 *       ascending order, the slot's index in the day as an unsigned 16-bit integer, then packets in,
 *       packets out, bytes in and bytes out as 64-bit integers, big-endian (34 bytes a slot). Its
 *       first byte is the high byte of an index below 288: 0 or 1.</li>
 *   <li><b>narrow</b> (what the ledger writes now): byte 0 is {@value #NARROW}; bytes 1 to 36 say
 *       which of the 288 slots have a row (slot {@code i}: bit {@code i % 8} of byte
 *       {@code 1 + i / 8}); byte 37 holds the width in bytes (0 to 8) of the packets in (high
 *       nibble) and packets out (low nibble) values, byte 38 those of bytes in and bytes out; then
 *       each column (packets in, packets out, bytes in, bytes out) in turn, one value a slot with a
 *       row in ascending order, each the low {@code width} bytes of the 64-bit value, big-endian.
 *       A column's width is what its largest value needs as an unsigned 64-bit integer, so the
 *       values are exact to the bit. A full day of a label moving under 4 GB and 16 million
 *       packets a slot takes 4,071 bytes instead of the fixed format's 9,792, and a monthly
 *       report reads little else (see accounting/README.md, "Billing, measured").</li>
 *   <li><b>checked</b> (what the ledger writes since 2026-12-03, issue 19): byte 0 is
 *       {@value #CHECKED}, then the narrow format's bytes 1 onwards, then a CRC-32C (big-endian, 4
 *       bytes) over the series id (4 bytes), the day's start (epoch seconds, 8 bytes), the row's sum
 *       columns packets_in, packets_out, bytes_in, bytes_out (8 bytes each, all big-endian) and
 *       every byte of the row before the CRC. A flipped bit anywhere in the row or its sums, and a
 *       row copied to another series or day, no longer match.</li>
 * </ul>
 * Rows of the two older formats carry no checksum; {@link #decode(byte[], Row, Object, SlotRows)}
 * checks that their slots add up to the row's sum columns instead, which catches a damaged value
 * but not a damaged sum column. The sealing code ({@code LedgerStore.sealNextDay}) only calls
 * {@link #add} and {@link #encode(int, Instant)}, so the format is this class's alone.
 */
public final class DaySlots {

    public static final Duration DAY = Duration.ofDays(1);
    public static final int SLOTS_PER_DAY = (int) (DAY.getSeconds() / SlotGrid.SECONDS);
    /** Bytes a slot in the fixed format. */
    private static final int ENTRY = 2 + 4 * 8;
    /** The first byte of a row in the narrow format. */
    public static final int NARROW = 2;
    /** The first byte of a row in the checked format: the narrow format and a CRC-32C. */
    public static final int CHECKED = 3;
    private static final int CRC = 4;
    private static final int BITMAP = 1;
    private static final int WIDTHS = BITMAP + SLOTS_PER_DAY / 8;
    private static final int COLUMNS = WIDTHS + 2;
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /**
     * What a stored row is besides its slots: its key and its sum columns, which a checked row's
     * CRC covers.
     *
     * @param day the day's start, epoch seconds
     */
    public record Row(int seriesId, long day, long packetsIn, long packetsOut, long bytesIn, long bytesOut) {
    }

    /** What a row holds for one slot. */
    public interface Sink {
        void slot(int index, long packetsIn, long packetsOut, long bytesIn, long bytesOut);
    }

    private final long[] packetsInOf = new long[SLOTS_PER_DAY];
    private final long[] packetsOutOf = new long[SLOTS_PER_DAY];
    private final long[] bytesIn = new long[SLOTS_PER_DAY];
    private final long[] bytesOut = new long[SLOTS_PER_DAY];
    private final boolean[] present = new boolean[SLOTS_PER_DAY];
    private long packetsIn;
    private long packetsOut;
    private long bytesInSum;
    private long bytesOutSum;

    /** The UTC day that {@code t} falls in. */
    public static Instant dayOf(Instant t) {
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), DAY.getSeconds()) * DAY.getSeconds());
    }

    /** Adds one 5-minute row of the day; {@code slotStart} must be a slot of {@code day}. */
    public void add(Instant day, Instant slotStart, long pin, long pout, long bin, long bout) {
        int i = SlotGrid.indexOf(day.getEpochSecond(), SLOTS_PER_DAY, slotStart.getEpochSecond());
        if (i < 0 || slotStart.getNano() != 0) {
            throw new IllegalStateException("a 5-minute row starts at " + slotStart + ", which is not a slot of the day " + day);
        }
        present[i] = true;
        packetsInOf[i] += pin;
        packetsOutOf[i] += pout;
        bytesIn[i] += bin;
        bytesOut[i] += bout;
        packetsIn += pin;
        packetsOut += pout;
        bytesInSum += bin;
        bytesOutSum += bout;
    }

    public long packetsIn() {
        return packetsIn;
    }

    public long packetsOut() {
        return packetsOut;
    }

    public long bytesIn() {
        return bytesInSum;
    }

    public long bytesOut() {
        return bytesOutSum;
    }

    /**
     * The day of series {@code seriesId} in the checked format (empty for a day with no row): what
     * the ledger stores, beside the sums {@link #packetsIn()} .. {@link #bytesOut()}.
     */
    public byte[] encode(int seriesId, Instant day) {
        byte[] narrow = encode();
        if (narrow.length == 0) {
            return narrow;
        }
        byte[] b = Arrays.copyOf(narrow, narrow.length + CRC);
        b[0] = CHECKED;
        int crc = crc(new Row(seriesId, day.getEpochSecond(), packetsIn, packetsOut, bytesInSum, bytesOutSum), b, narrow.length);
        for (int k = 0; k < CRC; k++) {
            b[narrow.length + k] = (byte) (crc >>> (8 * (CRC - 1 - k)));
        }
        return b;
    }

    /** The CRC-32C of a checked row: over its key, its sums and its first {@code length} bytes. */
    static int crc(Row r, byte[] packed, int length) {
        ByteBuffer head = ByteBuffer.allocate(4 + 5 * 8).putInt(r.seriesId()).putLong(r.day()).putLong(r.packetsIn())
                .putLong(r.packetsOut()).putLong(r.bytesIn()).putLong(r.bytesOut());
        CRC32C c = new CRC32C();
        c.update(head.array());
        c.update(packed, 0, length);
        return (int) c.getValue();
    }

    /** The day in the narrow format, which rows written before checksums have (empty for a day with no row). */
    public byte[] encode() {
        int n = 0;
        long[] or = new long[4];
        byte[] bitmap = new byte[SLOTS_PER_DAY / 8];
        for (int i = 0; i < SLOTS_PER_DAY; i++) {
            if (present[i]) {
                n++;
                bitmap[i >>> 3] |= (byte) (1 << (i & 7));
                or[0] |= packetsInOf[i];
                or[1] |= packetsOutOf[i];
                or[2] |= bytesIn[i];
                or[3] |= bytesOut[i];
            }
        }
        if (n == 0) {
            return new byte[0];
        }
        int[] width = new int[4];
        int length = COLUMNS;
        for (int c = 0; c < 4; c++) {
            width[c] = (Long.SIZE - Long.numberOfLeadingZeros(or[c]) + 7) / 8;
            length += n * width[c];
        }
        byte[] b = new byte[length];
        b[0] = NARROW;
        System.arraycopy(bitmap, 0, b, BITMAP, bitmap.length);
        b[WIDTHS] = (byte) (width[0] << 4 | width[1]);
        b[WIDTHS + 1] = (byte) (width[2] << 4 | width[3]);
        int pos = COLUMNS;
        long[][] columns = {packetsInOf, packetsOutOf, bytesIn, bytesOut};
        for (int c = 0; c < 4; c++) {
            long[] column = columns[c];
            int w = width[c];
            for (int i = 0; i < SLOTS_PER_DAY; i++) {
                if (present[i]) {
                    for (int k = w - 1; k >= 0; k--) {
                        b[pos++] = (byte) (column[i] >>> (8 * k));
                    }
                }
            }
        }
        return b;
    }

    /** The day in the fixed format of migration V5, which rows written before the narrow one have. */
    byte[] encodeFixed() {
        int n = 0;
        for (boolean p : present) {
            n += p ? 1 : 0;
        }
        ByteBuffer b = ByteBuffer.allocate(n * ENTRY);
        for (int i = 0; i < SLOTS_PER_DAY; i++) {
            if (present[i]) {
                b.putShort((short) i).putLong(packetsInOf[i]).putLong(packetsOutOf[i]).putLong(bytesIn[i]).putLong(bytesOut[i]);
            }
        }
        return b.array();
    }

    /**
     * Checks a stored row and puts its slots into {@code into} as {@link #decode(byte[], Object, long,
     * SlotRows)} does: a checked row's CRC must match {@code row} (its key and sums); a row of an older
     * format must decode and its slots add up to {@code row}'s sums.
     *
     * @param name names the row in an error message (its {@code toString()}, built only then)
     * @return true for a checked row, false for one written before checksums (checked against its sums only)
     * @throws DamagedRowException the row is not what was written (the message names it and says why)
     */
    public static boolean decode(byte[] packed, Row row, Object name, SlotRows into) {
        if (packed.length > 0 && packed[0] == CHECKED) {
            if (packed.length < COLUMNS + CRC) {
                throw new DamagedRowException("usage_5m_day " + name + ": " + packed.length
                        + " bytes of slots, too short for the checked format's head and checksum");
            }
            int end = packed.length - CRC;
            int stored = 0;
            for (int k = end; k < packed.length; k++) {
                stored = stored << 8 | (packed[k] & 0xff);
            }
            int computed = crc(row, packed, end);
            if (stored != computed) {
                throw new DamagedRowException(String.format("usage_5m_day %s: checksum mismatch (stored %08x, computed %08x)",
                        name, stored, computed));
            }
            if (into.capacity() < SLOTS_PER_DAY) {
                throw new IllegalArgumentException("room for " + into.capacity() + " rows, a day has " + SLOTS_PER_DAY);
            }
            try {
                into.reset(row.day());
                decodeNarrow(packed, end, name, into);
            } catch (IllegalStateException e) {
                throw new DamagedRowException(e.getMessage() + " (although its checksum matches)", e);
            }
            return true;
        }
        try {
            decode(packed, name, row.day(), into);
        } catch (IllegalStateException e) {
            throw new DamagedRowException(e.getMessage(), e);
        }
        long pin = 0;
        long pout = 0;
        long bin = 0;
        long bout = 0;
        for (int j = 0; j < into.size(); j++) {
            pin += into.packetsIn()[j];
            pout += into.packetsOut()[j];
            bin += into.bytesIn()[j];
            bout += into.bytesOut()[j];
        }
        if (pin != row.packetsIn() || pout != row.packetsOut() || bin != row.bytesIn() || bout != row.bytesOut()) {
            throw new DamagedRowException("usage_5m_day " + name + ": its slots add up to " + pin + " packets in, " + pout
                    + " out, " + bin + " bytes in, " + bout + " out, but the row's sums say " + row.packetsIn() + ", "
                    + row.packetsOut() + ", " + row.bytesIn() + ", " + row.bytesOut() + " (a row written before checksums)");
        }
        return false;
    }

    /** True for a row in the checked format (its first byte). */
    public static boolean checked(byte[] packed) {
        return packed.length > 0 && packed[0] == CHECKED;
    }

    /**
     * Hands every slot of a stored row (any format) to {@code sink}, in ascending order. A checked
     * row's CRC is not checked here: billing reads through {@link #decode(byte[], Row, Object, SlotRows)}.
     *
     * @param row names the row in an error message (its {@code toString()}, built only then)
     * @throws IllegalStateException for bytes that are not such a row (the message names the row)
     */
    public static void decode(byte[] packed, Object row, Sink sink) {
        SlotRows r = new SlotRows(SLOTS_PER_DAY);
        decode(packed, row, 0, r);
        for (int j = 0; j < r.size(); j++) {
            sink.slot(r.slots()[j], r.packetsIn()[j], r.packetsOut()[j], r.bytesIn()[j], r.bytesOut()[j]);
        }
    }

    /**
     * Puts the slots of a stored row (any format; a checked row's CRC is not checked) of the day starting at {@code day} (epoch
     * seconds) into {@code into}, column by column: its base is the day, its slot numbers the slots'
     * indexes in the day.
     *
     * @throws IllegalStateException for bytes that are not such a row (the message names the row)
     */
    public static void decode(byte[] packed, Object row, long day, SlotRows into) {
        if (into.capacity() < SLOTS_PER_DAY) {
            throw new IllegalArgumentException("room for " + into.capacity() + " rows, a day has " + SLOTS_PER_DAY);
        }
        into.reset(day);
        if (packed.length == 0) {
            return;
        }
        if (packed[0] == NARROW) {
            decodeNarrow(packed, packed.length, row, into);
        } else if (packed[0] == CHECKED) {
            if (packed.length < COLUMNS + CRC) {
                throw new IllegalStateException("usage_5m_day " + row + ": " + packed.length
                        + " bytes of slots, too short for the checked format's head and checksum");
            }
            decodeNarrow(packed, packed.length - CRC, row, into);
        } else {
            decodeFixed(packed, row, into);
        }
    }

    private static void decodeFixed(byte[] packed, Object row, SlotRows into) {
        if (packed.length % ENTRY != 0) {
            throw new IllegalStateException("usage_5m_day " + row + ": " + packed.length
                    + " bytes of slots is not a multiple of " + ENTRY);
        }
        int[] slot = into.slots();
        int previous = -1;
        int j = 0;
        for (int pos = 0; pos < packed.length; pos += ENTRY, j++) {
            int i = (packed[pos] & 0xff) << 8 | (packed[pos + 1] & 0xff);
            if (i <= previous || i >= SLOTS_PER_DAY) {
                throw new IllegalStateException("usage_5m_day " + row + ": slot " + i + " after slot " + previous
                        + " (slots are 0.." + (SLOTS_PER_DAY - 1) + ", ascending)");
            }
            previous = i;
            slot[j] = i;
            into.packetsIn()[j] = (long) LONG_BE.get(packed, pos + 2);
            into.packetsOut()[j] = (long) LONG_BE.get(packed, pos + 10);
            into.bytesIn()[j] = (long) LONG_BE.get(packed, pos + 18);
            into.bytesOut()[j] = (long) LONG_BE.get(packed, pos + 26);
        }
        into.size(j);
    }

    /** Decodes the narrow format's bytes {@code [0, end)} of {@code packed}. */
    private static void decodeNarrow(byte[] packed, int end, Object row, SlotRows into) {
        if (end < COLUMNS) {
            throw new IllegalStateException("usage_5m_day " + row + ": " + end
                    + " bytes of slots, too short for the narrow format's " + COLUMNS + "-byte head");
        }
        int[] slot = into.slots();
        int n = 0;
        for (int k = 0; k < SLOTS_PER_DAY / 8; k++) {
            for (int bits = packed[BITMAP + k] & 0xff; bits != 0; bits &= bits - 1) {
                slot[n++] = 8 * k + Integer.numberOfTrailingZeros(bits);
            }
        }
        int[] width = {(packed[WIDTHS] & 0xff) >>> 4, packed[WIDTHS] & 0xf, (packed[WIDTHS + 1] & 0xff) >>> 4,
                packed[WIDTHS + 1] & 0xf};
        int length = COLUMNS;
        for (int w : width) {
            if (w > 8) {
                throw new IllegalStateException("usage_5m_day " + row + ": a column " + w + " bytes wide (at most 8)");
            }
            length += n * w;
        }
        if (end != length) {
            throw new IllegalStateException("usage_5m_day " + row + ": " + end + " bytes of slots, but its "
                    + n + " slots of widths " + Arrays.toString(width) + " take " + length);
        }
        int pos = COLUMNS;
        pos = column(packed, pos, width[0], n, into.packetsIn());
        pos = column(packed, pos, width[1], n, into.packetsOut());
        pos = column(packed, pos, width[2], n, into.bytesIn());
        column(packed, pos, width[3], n, into.bytesOut());
        into.size(n);
    }

    /**
     * Reads {@code n} values {@code w} bytes wide from {@code pos}; returns the position after them.
     * Whole 8-byte reads stay inside the array (in a checked row they may read into the checksum,
     * whose bytes are shifted out).
     */
    private static int column(byte[] p, int pos, int w, int n, long[] out) {
        if (w == 0) {
            Arrays.fill(out, 0, n, 0L);
            return pos;
        }
        int shift = Long.SIZE - 8 * w;
        // whole 8-byte reads while they stay inside the array, then byte by byte
        int fast = p.length - pos < 8 ? 0 : Math.min(n, (p.length - pos - 8) / w + 1);
        int j = 0;
        for (; j < fast; j++) {
            out[j] = (long) LONG_BE.get(p, pos + j * w) >>> shift;
        }
        for (; j < n; j++) {
            long v = 0;
            for (int q = pos + j * w, end = q + w; q < end; q++) {
                v = v << 8 | (p[q] & 0xff);
            }
            out[j] = v;
        }
        return pos + n * w;
    }
}
