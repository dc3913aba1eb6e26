package org.pfmeter.accounting.billing;

import java.time.Instant;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.pf.model.LabelKey;

/**
 * A label's or customer's 5-minute slots as reports and exports use them, gathered label by label
 * from a {@link UsageSource}. A month of 1,000 labels is 8.6 million rows; holding them all at
 * once took about 1 GB of heap, so a source hands them over one label at a time and only that
 * label's {@link Series} is alive.
 */
final class SlotData {

    private SlotData() {
    }

    /**
     * The index of grid point {@code slot} among the {@code slots} grid points from {@code first}.
     *
     * @throws IllegalStateException for a time off the grid or out of range, which the ledger never
     *                               writes
     */
    static int slotIndex(long first, int slots, long slot) {
        int i = SlotGrid.indexOf(first, slots, slot);
        if (i < 0) {
            throw new IllegalStateException("a 5-minute row starts at " + Instant.ofEpochSecond(slot)
                    + ", which is not one of the " + slots + " 5-minute grid points from " + Instant.ofEpochSecond(first));
        }
        return i;
    }

    /**
     * One label's (or customer's) traffic, slot by slot, over the grid points of {@code [from, to)}:
     * packets in, out, bytes in, out per slot in one flat array (4 longs a slot, 285 KB for a
     * 31-day month, a quarter of what a map of slots took), allocated on the first row so an empty
     * series costs nothing.
     */
    static final class Series {
        private final long first;
        private final int slots;
        private long[] v;
        /**
         * Per host, the slots with a row (a 5-minute row, closed or open, or a sealed day's slot):
         * the host has data there even if no poll of it was recorded (a database made before
         * migration V4). Bit {@code i} is bit {@code i % 64} of word {@code i / 64}.
         */
        private final Map<String, long[]> rows = new HashMap<>();
        final TreeSet<String> hosts = new TreeSet<>();
        /** The host of the last row added and its rows: rows come host by host. */
        private String lastHost;
        private long[] lastRows;

        Series(Instant from, Instant to) {
            this(SlotGrid.ceil(from), SlotGrid.count(from, to));
        }

        private Series(long first, int slots) {
            this.first = first;
            this.slots = slots;
        }

        /** A series over the same slots, with no traffic. */
        Series emptyLike() {
            return new Series(first, slots);
        }

        /**
         * Adds one host's row.
         *
         * @param slot the epoch second of a grid point in this series' range
         * @throws IllegalStateException for a time off the grid or out of range, which the ledger
         *                               never writes
         */
        void add(String host, long slot, long pin, long pout, long bin, long bout) {
            int i = slotIndex(first, slots, slot);
            long[] r = rowsOf(host);
            r[i >>> 6] |= 1L << i;
            v[4 * i] += pin;
            v[4 * i + 1] += pout;
            v[4 * i + 2] += bin;
            v[4 * i + 3] += bout;
        }

        /**
         * Adds several rows of one host at once, column by column, as {@link #add} does row by row.
         *
         * @throws IllegalStateException for a slot out of this series' range, which the ledger never
         *                               writes
         */
        void add(String host, SlotRows in) {
            int n = in.size();
            if (n == 0) {
                return;
            }
            int[] slot = in.slots();
            // the rows' slot numbers from the series' first slot: the rows' base may lie before it
            long offset = (in.base() - first) / SlotGrid.SECONDS;
            if ((in.base() - first) % SlotGrid.SECONDS != 0 || offset + slot[0] < 0 || offset + slot[n - 1] >= slots) {
                int bad = offset + slot[0] < 0 ? 0 : n - 1;
                slotIndex(first, slots, SlotGrid.start(in.base(), slot[bad]));    // throws, naming the slot
            }
            int off = (int) offset;
            long[] r = rowsOf(host);
            long[] pin = in.packetsIn();
            long[] pout = in.packetsOut();
            long[] bin = in.bytesIn();
            long[] bout = in.bytesOut();
            long[] v = this.v;
            for (int j = 0; j < n; j++) {
                int i = off + slot[j];
                r[i >>> 6] |= 1L << i;
                int at = 4 * i;
                v[at] += pin[j];
                v[at + 1] += pout[j];
                v[at + 2] += bin[j];
                v[at + 3] += bout[j];
            }
        }

        /** The rows of {@code host}, allocating the series' slots on its first row. */
        private long[] rowsOf(String host) {
            if (v == null) {
                v = new long[4 * slots];
            }
            if (!host.equals(lastHost)) {
                hosts.add(host);
                lastHost = host;
                lastRows = rows.computeIfAbsent(host, h -> new long[(slots + 63) >>> 6]);
            }
            return lastRows;
        }

        void addAll(Series o) {
            if (o.first != first || o.slots != slots) {
                throw new IllegalArgumentException("series over different slots");
            }
            hosts.addAll(o.hosts);
            o.rows.forEach((h, b) -> {
                long[] r = rows.computeIfAbsent(h, x -> new long[b.length]);
                for (int i = 0; i < b.length; i++) {
                    r[i] |= b[i];
                }
            });
            if (o.v == null) {
                return;
            }
            if (v == null) {
                v = new long[4 * slots];
            }
            for (int i = 0; i < v.length; i++) {
                v[i] += o.v[i];
            }
        }

        int slots() {
            return slots;
        }

        /** Packets in, out, bytes in, out ({@code what} 0 to 3) of slot {@code i} (0 for the first grid point). */
        long value(int i, int what) {
            return v == null ? 0 : v[4 * i + what];
        }

        /** The slots in which {@code host} has a row: data, whether or not a poll of them was recorded. */
        BitSet rows(String host) {
            long[] b = rows.get(host);
            return b == null ? new BitSet() : BitSet.valueOf(b);
        }

        /**
         * @param samples the percentile's sample count: the slots with data, which include every
         *                slot with a row
         */
        Usage usage(int samples) {
            UsageAccumulator u = new UsageAccumulator(samples);
            if (v != null) {
                for (int i = 0; i < slots; i++) {
                    u.addSlot(v[4 * i], v[4 * i + 1], v[4 * i + 2], v[4 * i + 3]);
                }
            }
            return u.usage();
        }
    }

    /**
     * A sink that gathers each label's slots into a {@link Series} over {@code [from, to)} and hands
     * it to {@code done} when the label ends; only one label's series is alive at a time.
     */
    static UsageSource.LabelSink collect(Instant from, Instant to, BiConsumer<LabelKey, Series> done) {
        return new UsageSource.LabelSink() {
            private Series current;

            @Override
            public void start(LabelKey key) {
                current = new Series(from, to);
            }

            @Override
            public void slot(String host, long slotStart, long packetsIn, long packetsOut, long bytesIn, long bytesOut) {
                current.add(host, slotStart, packetsIn, packetsOut, bytesIn, bytesOut);
            }

            @Override
            public void rows(String host, SlotRows rows) {
                current.add(host, rows);
            }

            @Override
            public void end(LabelKey key) {
                Series s = current;
                current = null;
                done.accept(key, s);
            }
        };
    }
}
