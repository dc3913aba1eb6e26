package org.pfmeter.accounting.billing;

import java.util.Objects;
import org.pfmeter.accounting.store.SlotGrid;

/**
 * Rows of one host and label in ascending slot order, column by column: what a source hands over
 * in one {@link UsageSource.LabelSink#rows} call instead of one {@link UsageSource.LabelSink#slot}
 * call a row (a sealed day is up to 288 rows). Row {@code j} is the slot starting at
 * {@code SlotGrid.start(base(), slot(j))}.
 *
 * <p>A source fills one and reuses it for the next rows, so it is valid only during the call it is
 * handed over in. The column arrays are the object's own, returned for filling without a copy.
 */
public final class SlotRows {

    private long base;
    private int size;
    private final int[] slot;
    private final long[] packetsIn;
    private final long[] packetsOut;
    private final long[] bytesIn;
    private final long[] bytesOut;

    /** @param capacity the most rows it holds */
    public SlotRows(int capacity) {
        slot = new int[capacity];
        packetsIn = new long[capacity];
        packetsOut = new long[capacity];
        bytesIn = new long[capacity];
        bytesOut = new long[capacity];
    }

    public int capacity() {
        return slot.length;
    }

    /** Starts over with no rows; slot number 0 starts at {@code base} (epoch seconds, on the 5-minute grid). */
    public void reset(long base) {
        this.base = base;
        this.size = 0;
    }

    /** After filling the columns' first {@code n} entries: there are {@code n} rows. */
    public void size(int n) {
        Objects.checkIndex(n, slot.length + 1);
        this.size = n;
    }

    /**
     * Drops the rows whose slot does not start in {@code [from, to)} (epoch seconds): a billing
     * month in another zone than UTC starts and ends inside a day.
     */
    public void keep(long from, long to) {
        int lo = 0;
        while (lo < size && SlotGrid.start(base, slot[lo]) < from) {
            lo++;
        }
        int hi = size;
        while (hi > lo && SlotGrid.start(base, slot[hi - 1]) >= to) {
            hi--;
        }
        if (lo > 0) {
            int n = hi - lo;
            System.arraycopy(slot, lo, slot, 0, n);
            System.arraycopy(packetsIn, lo, packetsIn, 0, n);
            System.arraycopy(packetsOut, lo, packetsOut, 0, n);
            System.arraycopy(bytesIn, lo, bytesIn, 0, n);
            System.arraycopy(bytesOut, lo, bytesOut, 0, n);
        }
        size = hi - lo;
    }

    /** The epoch second at which slot number 0 starts. */
    public long base() {
        return base;
    }

    public int size() {
        return size;
    }

    /** The slot numbers from {@link #base} of the rows, ascending (to fill: entries {@code 0..size-1}). */
    public int[] slots() {
        return slot;
    }

    public long[] packetsIn() {
        return packetsIn;
    }

    public long[] packetsOut() {
        return packetsOut;
    }

    public long[] bytesIn() {
        return bytesIn;
    }

    public long[] bytesOut() {
        return bytesOut;
    }
}
