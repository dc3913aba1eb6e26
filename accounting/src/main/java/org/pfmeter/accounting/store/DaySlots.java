package org.pfmeter.accounting.store;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;

/**
 * The packed 5-minute counts of one label's UTC day, as {@code usage_5m_day.slots} stores them
 * (migration V5): per slot with a row, in ascending order, the slot's index in the day as an
 * unsigned 16-bit integer, then packets in, packets out, bytes in and bytes out as signed 64-bit
 * integers, big-endian (34 bytes a slot).
 */
public final class DaySlots {

    public static final Duration DAY = Duration.ofDays(1);
    public static final int SLOTS_PER_DAY = (int) (DAY.getSeconds() / SlotGrid.SECONDS);
    private static final int ENTRY = 2 + 4 * 8;

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

    public byte[] encode() {
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
     * Hands every slot of a stored row to {@code sink}, in ascending order.
     *
     * @throws IllegalStateException for bytes that are not such a row (the message names the row)
     */
    public static void decode(byte[] packed, String row, Sink sink) {
        if (packed.length % ENTRY != 0) {
            throw new IllegalStateException("usage_5m_day " + row + ": " + packed.length
                    + " bytes of slots is not a multiple of " + ENTRY);
        }
        ByteBuffer b = ByteBuffer.wrap(packed);
        int previous = -1;
        while (b.hasRemaining()) {
            int i = Short.toUnsignedInt(b.getShort());
            if (i <= previous || i >= SLOTS_PER_DAY) {
                throw new IllegalStateException("usage_5m_day " + row + ": slot " + i + " after slot " + previous
                        + " (slots are 0.." + (SLOTS_PER_DAY - 1) + ", ascending)");
            }
            previous = i;
            sink.slot(i, b.getLong(), b.getLong(), b.getLong(), b.getLong());
        }
    }
}
