package org.pfmeter.pf.states;

import java.security.SecureRandom;

/**
 * A fixed-capacity hash table from a 17-byte key (two longs and a tag: an address with its family,
 * or an interface name) to a state count and a byte count, with open addressing. A slot is four
 * adjacent longs (key, key, tag and states, bytes), so one probe finds both counts and touches one
 * cache line. Its arrays are allocated once for {@code capacity} keys at a load of one half, so
 * counting states allocates nothing and the heap it takes does not grow with the state table: when
 * {@code capacity} keys are in, new keys are refused and their states counted as untracked. A read
 * uses a prefix of the slots sized as {@link Ipv4Table}'s is (from the keys the previous read counted,
 * doubled when three quarters full), and {@link #clear} writes it from end to end, which leaves it in
 * the cache when called just before the states are walked.
 *
 * <p>{@link #top} reads every key's counts once for both of its lists. The hash scatters the keys
 * over the table, and by then the breakdown's copy and walk of the state buffer have evicted it, so
 * visiting the keys in the order they came fetches a cache line from memory for nearly each one;
 * when the table is more than 1/32 full it is read from end to end instead, which the processor
 * fetches ahead (4 MB for the default table, about 0.4 ms, against 2 ms for 22,000 scattered keys).
 *
 * <p>The hash mixes every bit of the key with a seed drawn per table: addresses come from the
 * network, and a fixed hash would let whoever picks them (a spoofed-source flood) line them up in
 * one probe chain. No result depends on where a key lies: {@link #top} orders by count and key.
 */
final class KeyTable {

    private static final int WIDTH = 4;
    private static final long COUNT = (1L << 56) - 1;
    private static final SecureRandom SEEDS = new SecureRandom();

    /** The smallest prefix a read uses: 8 KB. */
    private static final int MIN_SLOTS = 1 << 8;

    private final int capacity;
    private int mask;
    /** At this size the prefix in use doubles (Integer.MAX_VALUE: it is the whole array). */
    private int growAt;
    private final long seed = SEEDS.nextLong();
    /** Per slot: a, b, (tag + 1) << 56 | states (0: empty), bytes. */
    private final long[] slots;
    /** The slots taken, in the order their keys came. */
    private final int[] taken;
    private int size;
    private long untracked;
    private int lastSlot = -1;

    KeyTable(int capacity) {
        this.capacity = capacity;
        int n = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) * 2;   // load at most one half
        this.slots = new long[n * WIDTH];
        this.taken = new int[capacity];
        use(Math.min(n, MIN_SLOTS));
    }

    private void use(int slotCount) {
        mask = slotCount - 1;
        growAt = slotCount * WIDTH >= slots.length ? Integer.MAX_VALUE : slotCount / 4 * 3;
    }

    /** Empties the table for the next read, using a prefix at most half full with as many keys as this read counted. */
    void clear() {
        int slotCount = Math.min(slots.length / WIDTH, Math.max(MIN_SLOTS, Integer.highestOneBit(Math.max(1, size) * 2 - 1) * 2));
        java.util.Arrays.fill(slots, 0, Math.max(slotCount, mask + 1) * WIDTH, 0L);
        use(slotCount);
        size = 0;
        untracked = 0;
        lastSlot = -1;
    }

    /** MurmurHash3's 64-bit finaliser over both halves, the tag and the seed. */
    private int hash(long x, long y, int t) {
        long h = (x ^ seed) * 0x9e3779b97f4a7c15L ^ Long.rotateLeft((y + t) * 0xc2b2ae3d27d4eb4fL, 32);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }

    /** Adds one state with {@code stateBytes} to the key's counts. */
    void add(long x, long y, int t, long stateBytes) {
        add(x, y, t, 1, stateBytes);
    }

    /** Adds {@code states} states (at least one) with {@code stateBytes} in all to the key's counts. */
    void add(long x, long y, int t, long states, long stateBytes) {
        long tagBits = (long) (t + 1) << 56;
        long[] s = slots;
        // runs of one key (every floating state is on "all") skip the hash
        int last = lastSlot;
        if (last >= 0 && s[last] == x && s[last + 1] == y && (s[last + 2] & ~COUNT) == tagBits) {
            s[last + 2] += states;
            s[last + 3] += stateBytes;
            return;
        }
        int m = mask;
        int i = hash(x, y, t) & m;
        while (true) {
            int at = i * WIDTH;
            long word = s[at + 2];
            if (word == 0) {
                if (size >= growAt) {
                    grow();
                    add(x, y, t, states, stateBytes);
                    return;
                }
                if (size >= capacity) {
                    untracked += states;
                    return;
                }
                s[at] = x;
                s[at + 1] = y;
                s[at + 2] = tagBits | states;
                s[at + 3] = stateBytes;
                taken[size++] = i;
                lastSlot = at;
                return;
            }
            if ((word & ~COUNT) == tagBits && s[at] == x && s[at + 1] == y) {
                s[at + 2] = word + states;
                s[at + 3] += stateBytes;
                lastSlot = at;
                return;
            }
            i = (i + 1) & m;
        }
    }

    /** Doubles the prefix in use and puts every key counted so far where it belongs in it. */
    private void grow() {
        long[] moved = new long[size * WIDTH];
        for (int k = 0; k < size; k++) {
            System.arraycopy(slots, taken[k] * WIDTH, moved, k * WIDTH, WIDTH);
            java.util.Arrays.fill(slots, taken[k] * WIDTH, taken[k] * WIDTH + WIDTH, 0L);
        }
        use((mask + 1) * 2);
        for (int k = 0; k < size; k++) {
            int from = k * WIDTH;
            int i = hash(moved[from], moved[from + 1], (int) (moved[from + 2] >>> 56) - 1) & mask;
            while (slots[i * WIDTH + 2] != 0) {
                i = (i + 1) & mask;
            }
            System.arraycopy(moved, from, slots, i * WIDTH, WIDTH);
            taken[k] = i;
        }
        lastSlot = -1;
    }

    /** Distinct keys counted. */
    int size() {
        return size;
    }

    long untracked() {
        return untracked;
    }

    /** The slot of the {@code k}-th key counted (0 ≤ k < {@link #size()}). */
    int slot(int k) {
        return taken[k];
    }

    long a(int slot) {
        return slots[slot * WIDTH];
    }

    long b(int slot) {
        return slots[slot * WIDTH + 1];
    }

    int tag(int slot) {
        return (int) (slots[slot * WIDTH + 2] >>> 56) - 1;
    }

    long states(int slot) {
        return slots[slot * WIDTH + 2] & COUNT;
    }

    long bytes(int slot) {
        return slots[slot * WIDTH + 3];
    }

    private long value(int slot, boolean byBytes) {
        return byBytes ? bytes(slot) : states(slot);
    }

    /** The slots of the {@code n} keys with the most states and of the {@code n} with the most bytes, each largest first. */
    record Top(int[] byStates, int[] byBytes) {
    }

    /** Both top lists in one pass over the keys (ties go to the smaller key). */
    Top top(int n) {
        int[] byStates = new int[Math.min(n, size)];
        int[] byBytes = new int[byStates.length];
        int filled = 0;
        int slotCount = mask + 1;
        if (size > slotCount / 32) {
            for (int i = 0; i < slotCount; i++) {
                if (slots[i * WIDTH + 2] != 0) {
                    insert(byStates, filled, i, false);
                    insert(byBytes, filled, i, true);
                    filled = Math.min(filled + 1, byStates.length);
                }
            }
        } else {
            for (int k = 0; k < size; k++) {
                insert(byStates, filled, taken[k], false);
                insert(byBytes, filled, taken[k], true);
                filled = Math.min(filled + 1, byStates.length);
            }
        }
        return new Top(byStates, byBytes);
    }

    /** Puts slot {@code i} into {@code best}, whose first {@code filled} entries are in order, if it belongs there. */
    private void insert(int[] best, int filled, int i, boolean byBytes) {
        if (filled == best.length && (filled == 0 || Long.compareUnsigned(value(i, byBytes), value(best[filled - 1], byBytes)) < 0)) {
            return;                                 // below the last listed: most addresses end here
        }
        TopSlots.insert(best, filled, i, (x, y) -> before(x, y, byBytes));
    }

    private boolean before(int i, int j, boolean byBytes) {
        int c = Long.compareUnsigned(value(i, byBytes), value(j, byBytes));
        if (c != 0) {
            return c > 0;
        }
        c = Integer.compare(tag(i), tag(j));
        if (c != 0) {
            return c < 0;
        }
        c = Long.compareUnsigned(Long.reverseBytes(a(i)), Long.reverseBytes(a(j)));
        return c != 0 ? c < 0 : Long.compareUnsigned(Long.reverseBytes(b(i)), Long.reverseBytes(b(j))) < 0;
    }
}
