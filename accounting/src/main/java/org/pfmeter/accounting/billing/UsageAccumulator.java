package org.pfmeter.accounting.billing;

import java.util.Arrays;

/**
 * One series' {@link Usage}, built slot by slot: the volumes, the peaks and, for the 95th
 * percentile, only the {@code floor(n/20) + 1} highest rates in each direction, which is all the
 * percentile of {@link Percentiles} looks at. A month of 8,928 slots keeps at most 447 rates a
 * direction (7 KB) instead of the month. Feed each slot at most once, with the slot's sum over every
 * host and label the series adds up; slots with data never fed count as 0.
 */
final class UsageAccumulator {

    private final TopValues in;
    private final TopValues out;
    private long packetsIn;
    private long packetsOut;
    private long bytesIn;
    private long bytesOut;
    private long peakIn;
    private long peakOut;

    /** @param slots the percentile's sample count: the elapsed 5-minute slots with data ({@link Coverage}) */
    UsageAccumulator(int slots) {
        if (slots < 0) {
            throw new IllegalArgumentException("negative slot count " + slots);
        }
        int keep = keep(slots);
        this.in = new TopValues(keep);
        this.out = new TopValues(keep);
    }

    /** How many rates a direction the percentile of {@code slots} samples needs: the top 5 % and one. */
    static int keep(int slots) {
        return slots == 0 ? 0 : slots - Percentiles.index95(slots);
    }

    void addSlot(long pin, long pout, long bin, long bout) {
        packetsIn += pin;
        packetsOut += pout;
        bytesIn += bin;
        bytesOut += bout;
        peakIn = Math.max(peakIn, bin);
        peakOut = Math.max(peakOut, bout);
        if (bin != 0) {
            in.offer(bin);
        }
        if (bout != 0) {
            out.offer(bout);
        }
    }

    Usage usage() {
        return new Usage(bytesIn, bytesOut, packetsIn, packetsOut,
                Percentiles.bitsPerSecond(in.kthLargest()), Percentiles.bitsPerSecond(out.kthLargest()),
                Percentiles.bitsPerSecond(peakIn), Percentiles.bitsPerSecond(peakOut));
    }

    /**
     * The {@code k} largest values offered, as a min-heap in an array that grows as values come: a
     * label that moved in few slots holds few.
     */
    static final class TopValues {
        private static final long[] NONE = {};
        private final int k;
        private long[] heap = NONE;
        private int size;

        TopValues(int k) {
            this.k = k;
        }

        void offer(long v) {
            if (size < k) {
                if (size == heap.length) {
                    heap = Arrays.copyOf(heap, Math.min(k, Math.max(16, 2 * size)));
                }
                int i = size++;
                while (i > 0) {
                    int parent = (i - 1) >>> 1;
                    if (heap[parent] <= v) {
                        break;
                    }
                    heap[i] = heap[parent];
                    i = parent;
                }
                heap[i] = v;
            } else if (k > 0 && v > heap[0]) {
                int i = 0;
                while (true) {
                    int child = 2 * i + 1;
                    if (child >= size) {
                        break;
                    }
                    if (child + 1 < size && heap[child + 1] < heap[child]) {
                        child++;
                    }
                    if (heap[child] >= v) {
                        break;
                    }
                    heap[i] = heap[child];
                    i = child;
                }
                heap[i] = v;
            }
        }

        /** The k-th largest value offered; 0 when fewer than k were offered (the other samples are 0). */
        long kthLargest() {
            return k == 0 || size < k ? 0 : heap[0];
        }
    }
}
