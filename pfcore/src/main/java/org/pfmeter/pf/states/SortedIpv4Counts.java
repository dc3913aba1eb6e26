package org.pfmeter.pf.states;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Counts per IPv4 source and destination address without a hash table: the walk of the states only
 * appends each state's two addresses and its bytes to arrays (sequential writes, no cache miss per
 * address met once). {@link #count} then, for each side, first collapses the states of an address
 * that come close together into one run (a small direct-mapped cache of runs, in the L1 and L2
 * caches: an attacker's states, a busy server's), sorts the runs by address with an LSD radix sort
 * (three passes of 11 bits, stable) and adds up the runs of equal addresses in one pass. In the
 * 100,000-state {@code state-ramp} table, 94,333 IPv4 states make about 29,000 source runs and
 * 20,000 destination runs: the sort and the pass over the runs handle a quarter of the keys. A side
 * whose last read met its addresses less than four times each on average sorts its states' keys
 * as they are ({@link Side#collapses}).
 *
 * <p>The results equal {@link Ipv4Table}'s: beyond {@code capacity} distinct addresses a side keeps
 * those met first (each run carries the index of its first state, an address the smallest of its
 * runs'), and counts the states of the others as untracked; the top lists order by count, then by
 * address.
 *
 * <p>Its arrays grow to the IPv4 states of the largest read and are reused by every later read:
 * 32 bytes per IPv4 state (both sides' keys, the bytes, one scratch array shared by the two sorts),
 * 3.2 MB at 100,000 states; 16 bytes per run (the states of an address met once are a run each);
 * 24 bytes per distinct address a side; and the cache's 160 KB. {@link StateAggregator} sorts only
 * tables of up to {@link StateAggregator#SORTED_STATES} states: at 1,000,000 the three passes over
 * 8 MB arrays cost more than the hash tables' cache misses.
 */
final class SortedIpv4Counts {

    private static final int BITS = 11;
    private static final int RADIX = 1 << BITS;
    private static final int DIGIT = RADIX - 1;
    /**
     * The run cache's size for destinations: 8,192 runs (160 KB, in the L2 cache), for the servers a
     * firewall protects (4,000 in the {@code state-ramp} table, each with a few dozen states); for
     * sources 1,024 (20 KB, in the L1 cache): an attack's few addresses hold most states and the
     * clients' many addresses are each met a few times, where a larger cache only costs misses.
     * Smaller for fewer states.
     */
    private static final int MAX_CACHE_BITS = 13;
    private static final int SOURCE_CACHE_BITS = 10;
    private static final int MIN_CACHE_BITS = 6;
    private static final SecureRandom SEEDS = new SecureRandom();

    /** Per state appended: its source's address (network order) << 32 | the state's index. */
    private long[] sources = new long[0];
    private long[] destinations = new long[0];
    private long[] bytes = new long[0];
    private long[] scratch = new long[0];
    /** Per run of one side: [2r] its states << 32 | its first state's index, [2r + 1] its bytes. */
    private long[] runs = new long[0];
    /** The run cache: per slot, the address, its run's states << 32 | first state (0: empty), bytes. */
    private final int[] cachedAddress = new int[1 << MAX_CACHE_BITS];
    private final long[] cachedStatesFirst = new long[1 << MAX_CACHE_BITS];
    private final long[] cachedBytes = new long[1 << MAX_CACHE_BITS];
    /** Mixed into the cache's hash, so that addresses cannot be picked to evict each other's runs. */
    private final int seed = SEEDS.nextInt();
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

    /** Collapses, sorts and counts both sides; call once after the walk, before reading {@link #sources()} and {@link #destinations()}. */
    void count() {
        boolean collapse = source.collapses();
        int n = collapse ? collapse(sources, SOURCE_CACHE_BITS) : appended;
        long[] sorted = sort(sources, n);
        if (sorted != sources) {
            scratch = sources;
            sources = sorted;
        }
        source.count(sources, collapse ? runs : null, bytes, n, appended, scratch);
        collapse = destination.collapses();
        n = collapse ? collapse(destinations, MAX_CACHE_BITS) : appended;
        sorted = sort(destinations, n);
        if (sorted != destinations) {
            scratch = destinations;
            destinations = sorted;
        }
        destination.count(destinations, collapse ? runs : null, bytes, n, appended, scratch);
    }

    Side sources() {
        return source;
    }

    Side destinations() {
        return destination;
    }

    /**
     * Replaces one side's keys, in place, by its runs: a state joins the run of its address held in
     * the cache, or ends the run it finds there (another address with the same hash) and starts its
     * own. A run ended is written as address << 32 | its number, its states, first state and bytes in
     * {@link #runs}. The runs keep the states' order, in which each address's runs may come more than
     * once. Returns the number of runs.
     */
    private int collapse(long[] keys, int maxBits) {
        int n = appended;
        int bits = Math.max(MIN_CACHE_BITS, Math.min(maxBits, 28 - Integer.numberOfLeadingZeros(n)));
        int shift = 32 - bits;
        int mix = seed;
        int[] address = cachedAddress;
        long[] statesFirst = cachedStatesFirst;
        long[] sums = cachedBytes;
        long[] stateBytes = bytes;
        long[] r = runs;
        int t = 0;
        for (int i = 0; i < n; i++) {
            long key = keys[i];
            int a = (int) (key >>> 32);
            int h = ((a ^ mix) * 0x9e3779b1) >>> shift;
            long sf = statesFirst[h];
            if (sf != 0 && address[h] == a) {
                statesFirst[h] = sf + (1L << 32);
                sums[h] += stateBytes[i];
            } else {
                if (sf != 0) {
                    if (2 * t == r.length) {
                        r = Arrays.copyOf(r, Math.max(1 << 12, 2 * r.length));
                    }
                    keys[t] = (long) address[h] << 32 | t;       // t <= i: the key at t was read already
                    r[2 * t] = sf;
                    r[2 * t + 1] = sums[h];
                    t++;
                }
                address[h] = a;
                statesFirst[h] = 1L << 32 | (key & 0xffff_ffffL);
                sums[h] = stateBytes[i];
            }
        }
        for (int h = 0; h < 1 << bits; h++) {
            long sf = statesFirst[h];
            if (sf != 0) {
                if (2 * t == r.length) {
                    r = Arrays.copyOf(r, Math.max(1 << 12, 2 * r.length));
                }
                keys[t] = (long) address[h] << 32 | t;
                r[2 * t] = sf;
                r[2 * t + 1] = sums[h];
                t++;
                statesFirst[h] = 0;
            }
        }
        runs = r;
        return t;
    }

    /** Sorts the first {@code n} keys by their high 32 bits, stably; returns the array holding them sorted (the keys' or the scratch). */
    private long[] sort(long[] keys, int n) {
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
        /** The distinct addresses and the states of the last read counted. */
        private long lastAddresses;
        private long lastStates;

        Side(int capacity) {
            this.capacity = capacity;
        }

        /**
         * Whether this side's states are collapsed into runs before the sort: when the last read met
         * each address four times or more on average. Where most addresses hold a state or two (many
         * clients, no attack), the cache would only end runs, and sorting and reading the runs (16
         * bytes each) costs more than the states' keys (a third more for 94,000 states of 40,000
         * addresses). The first read collapses.
         */
        boolean collapses() {
            return lastAddresses * 4 <= lastStates;
        }

        /**
         * Adds up the {@code n} keys, sorted by address, into one entry per address: runs of {@code
         * runs}, or (null) states whose bytes are in {@code bytes}.
         */
        void count(long[] sorted, long[] runs, long[] bytes, int n, int statesCounted, long[] scratch) {
            int d = 0;
            int i = 0;
            while (i < n) {
                long key = sorted[i];
                int address = (int) (key >>> 32);
                long count = 0;
                long sum = 0;
                int first = Integer.MAX_VALUE;
                if (runs == null) {
                    first = (int) key;                  // a stable sort keeps the address's first state first
                    do {
                        sum += bytes[(int) sorted[i]];
                        count++;
                        i++;
                    } while (i < n && (int) (sorted[i] >>> 32) == address);
                } else {
                    do {
                        int r = (int) sorted[i];
                        long cf = runs[2 * r];
                        count += cf >>> 32;
                        first = Math.min(first, (int) cf);
                        sum += runs[2 * r + 1];
                        i++;
                    } while (i < n && (int) (sorted[i] >>> 32) == address);
                }
                if (d == addresses.length) {
                    int m = Math.max(1 << 10, d * 2);
                    addresses = Arrays.copyOf(addresses, m);
                    firsts = Arrays.copyOf(firsts, m);
                    states = Arrays.copyOf(states, m);
                    sums = Arrays.copyOf(sums, m);
                }
                addresses[d] = address;
                firsts[d] = first;
                states[d] = count;
                sums[d] = sum;
                d++;
            }
            size = d;
            untracked = 0;
            lastAddresses = d;
            lastStates = statesCounted;
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
            if (filled == best.length && (filled == 0 || Long.compareUnsigned(value(i, byBytes), value(best[filled - 1], byBytes)) < 0)) {
                return;                             // below the last listed: most addresses end here
            }
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
