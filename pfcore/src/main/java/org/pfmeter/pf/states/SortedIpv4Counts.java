package org.pfmeter.pf.states;

import java.util.Arrays;

/**
 * Counts per IPv4 source and destination address without a hash table: the walk of the states only
 * appends each state's two addresses and its bytes to arrays (sequential writes, no cache miss per
 * address met once), and {@link #count} then sorts each side by address with an LSD radix sort
 * (three passes of 11 bits, stable) and reads the runs of equal addresses in one pass.
 *
 * <p>The results equal {@link Ipv4Table}'s: beyond {@code capacity} distinct addresses a side keeps
 * those met first (a stable sort keeps each address's first state first in its run, and that
 * state's index is in the key), and counts the states of the others as untracked; the top lists
 * order by count, then by address.
 *
 * <p>Its arrays grow to the IPv4 states of the largest read and are reused by every later read:
 * 32 bytes per IPv4 state (both sides' keys, the bytes, one scratch array shared by the two sorts),
 * 3.2 MB at 100,000 states; and 24 bytes per distinct address a side. {@link StateAggregator} sorts
 * only tables of up to {@link StateAggregator#SORTED_STATES} states: at 1,000,000 the three passes
 * over 8 MB arrays cost more than the hash tables' cache misses.
 */
final class SortedIpv4Counts {

    private static final int BITS = 11;
    private static final int RADIX = 1 << BITS;
    private static final int DIGIT = RADIX - 1;

    /** Per state appended: its source's address (network order) << 32 | the state's index. */
    private long[] sources = new long[0];
    private long[] destinations = new long[0];
    private long[] bytes = new long[0];
    private long[] scratch = new long[0];
    private final int[] histogram = new int[3 * RADIX];
    private int appended;
    private final Side source;
    private final Side destination;

    SortedIpv4Counts(int capacity) {
        source = new Side(capacity);
        destination = new Side(capacity);
    }

    /** Empties the counts for the next read. */
    void clear() {
        appended = 0;
        source.size = 0;
        source.untracked = 0;
        destination.size = 0;
        destination.untracked = 0;
    }

    /** Adds one IPv4 state: its addresses as they lie in pf_addr (first byte in the low 8 bits), its bytes. */
    void add(int from, int to, long stateBytes) {
        int i = appended;
        if (i == bytes.length) {
            grow();
        }
        long index = i;
        sources[i] = (long) Integer.reverseBytes(from) << 32 | index;
        destinations[i] = (long) Integer.reverseBytes(to) << 32 | index;
        bytes[i] = stateBytes;
        appended = i + 1;
    }

    private void grow() {
        int n = Math.max(1 << 12, bytes.length * 2);
        sources = Arrays.copyOf(sources, n);
        destinations = Arrays.copyOf(destinations, n);
        bytes = Arrays.copyOf(bytes, n);
        scratch = new long[n];
    }

    /** Sorts and counts both sides; call once after the walk, before reading {@link #sources()} and {@link #destinations()}. */
    void count() {
        long[] sorted = sort(sources);
        if (sorted != sources) {
            scratch = sources;
            sources = sorted;
        }
        source.count(sources, bytes, appended, scratch);
        sorted = sort(destinations);
        if (sorted != destinations) {
            scratch = destinations;
            destinations = sorted;
        }
        destination.count(destinations, bytes, appended, scratch);
    }

    Side sources() {
        return source;
    }

    Side destinations() {
        return destination;
    }

    /** Sorts the first {@code appended} keys by their high 32 bits, stably; returns the array holding them sorted (the keys' or the scratch). */
    private long[] sort(long[] keys) {
        int n = appended;
        int[] h = histogram;
        Arrays.fill(h, 0);
        for (int i = 0; i < n; i++) {
            int k = (int) (keys[i] >>> 32);
            h[k & DIGIT]++;
            h[RADIX + ((k >>> BITS) & DIGIT)]++;
            h[2 * RADIX + (k >>> 2 * BITS)]++;
        }
        long[] in = keys;
        long[] out = scratch;
        for (int pass = 0; pass < 3 && n > 0; pass++) {
            int shift = 32 + pass * BITS;
            int base = pass * RADIX;
            if (h[base + (int) ((in[0] >>> shift) & DIGIT)] == n) {
                continue;                                   // one digit for all: already in order
            }
            int sum = 0;
            for (int d = 0; d < RADIX; d++) {
                int c = h[base + d];
                h[base + d] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                long k = in[i];
                out[h[base + (int) ((k >>> shift) & DIGIT)]++] = k;
            }
            long[] t = in;
            in = out;
            out = t;
        }
        return in;
    }

    /** One side's distinct addresses in ascending order with their counts. */
    static final class Side implements Ipv4Counts {
        private final int capacity;
        private int[] addresses = new int[0];
        private int[] firsts = new int[0];
        private long[] states = new long[0];
        private long[] sums = new long[0];
        private int size;
        private long untracked;

        Side(int capacity) {
            this.capacity = capacity;
        }

        void count(long[] sorted, long[] bytes, int n, long[] scratch) {
            int d = 0;
            int i = 0;
            while (i < n) {
                long key = sorted[i];
                int address = (int) (key >>> 32);
                long count = 0;
                long sum = 0;
                do {
                    sum += bytes[(int) sorted[i]];
                    count++;
                    i++;
                } while (i < n && (int) (sorted[i] >>> 32) == address);
                if (d == addresses.length) {
                    int m = Math.max(1 << 10, d * 2);
                    addresses = Arrays.copyOf(addresses, m);
                    firsts = Arrays.copyOf(firsts, m);
                    states = Arrays.copyOf(states, m);
                    sums = Arrays.copyOf(sums, m);
                }
                addresses[d] = address;
                firsts[d] = (int) key;
                states[d] = count;
                sums[d] = sum;
                d++;
            }
            size = d;
            untracked = 0;
            if (d > capacity) {
                keepFirstMet(scratch);
            }
        }

        /** Keeps the {@code capacity} addresses met first, as a table that refuses new addresses when full would. */
        private void keepFirstMet(long[] scratch) {
            for (int k = 0; k < size; k++) {
                scratch[k] = firsts[k];
            }
            Arrays.sort(scratch, 0, size);
            long last = scratch[capacity - 1];
            int kept = 0;
            for (int k = 0; k < size; k++) {
                if (firsts[k] <= last) {
                    addresses[kept] = addresses[k];
                    firsts[kept] = firsts[k];
                    states[kept] = states[k];
                    sums[kept] = sums[k];
                    kept++;
                } else {
                    untracked += states[k];
                }
            }
            size = kept;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public long untracked() {
            return untracked;
        }

        /** The {@code i}-th address, its first byte in the low 8 bits (as pf_addr lies in memory, read little-endian). */
        @Override
        public int address(int i) {
            return Integer.reverseBytes(addresses[i]);
        }

        @Override
        public long states(int i) {
            return states[i];
        }

        @Override
        public long bytes(int i) {
            return sums[i];
        }

        private long value(int i, boolean byBytes) {
            return byBytes ? sums[i] : states[i];
        }

        /** The indices of the {@code n} addresses with the most states and of the {@code n} with the most bytes, each largest first (ties: the smaller address first). */
        @Override
        public Ipv4Table.Top top(int n) {
            int[] byStates = new int[Math.min(n, size)];
            int[] byBytes = new int[byStates.length];
            int filled = 0;
            for (int i = 0; i < size; i++) {
                insert(byStates, filled, i, false);
                insert(byBytes, filled, i, true);
                filled = Math.min(filled + 1, byStates.length);
            }
            return new Ipv4Table.Top(byStates, byBytes);
        }

        private void insert(int[] best, int filled, int i, boolean byBytes) {
            TopSlots.insert(best, filled, i, (x, y) -> before(x, y, byBytes));
        }

        private boolean before(int i, int j, boolean byBytes) {
            int c = Long.compareUnsigned(value(i, byBytes), value(j, byBytes));
            if (c != 0) {
                return c > 0;
            }
            return Integer.compareUnsigned(addresses[i], addresses[j]) < 0;
        }
    }
}
