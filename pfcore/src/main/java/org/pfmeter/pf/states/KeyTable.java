package org.pfmeter.pf.states;

import java.util.Arrays;

/**
 * A fixed-capacity hash table from a 17-byte key (two longs and a tag: an address with its family,
 * or an interface name) to a state count and a byte count, with open addressing. A slot is four
 * adjacent longs (key, key, tag and states, bytes), so a lookup touches one cache line. Its array is
 * allocated once and cleared between reads, so counting states allocates nothing and the heap it
 * takes does not grow with the table: when {@code capacity} keys are in, new keys are refused and
 * their states counted as untracked.
 */
final class KeyTable {

    private static final int WIDTH = 4;
    private static final long COUNT = (1L << 56) - 1;

    private final int capacity;
    private final int mask;
    /** Per slot: a, b, (tag + 1) << 56 | states (0: empty), bytes. */
    private final long[] slots;
    private int size;
    private long untracked;
    private int lastSlot = -1;

    KeyTable(int capacity) {
        this.capacity = capacity;
        int n = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) * 2;   // load at most one half
        this.mask = n - 1;
        this.slots = new long[n * WIDTH];
    }

    void clear() {
        Arrays.fill(slots, 0);
        size = 0;
        untracked = 0;
        lastSlot = -1;
    }

    private static int hash(long x, long y, int t) {
        long h = x * 0x9e3779b97f4a7c15L ^ Long.rotateLeft(y * 0xc2b2ae3d27d4eb4fL, 31) ^ t;
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }

    /** Adds one state with {@code stateBytes} to the key's counts. */
    void add(long x, long y, int t, long stateBytes) {
        long tagBits = (long) (t + 1) << 56;
        // runs of one key (every floating state is on "all") skip the hash
        int last = lastSlot;
        if (last >= 0 && slots[last] == x && slots[last + 1] == y && (slots[last + 2] & ~COUNT) == tagBits) {
            slots[last + 2]++;
            slots[last + 3] += stateBytes;
            return;
        }
        int i = hash(x, y, t) & mask;
        while (true) {
            int at = i * WIDTH;
            long word = slots[at + 2];
            if (word == 0) {
                if (size >= capacity) {
                    untracked++;
                    return;
                }
                slots[at] = x;
                slots[at + 1] = y;
                slots[at + 2] = tagBits | 1;
                slots[at + 3] = stateBytes;
                size++;
                lastSlot = at;
                return;
            }
            if ((word & ~COUNT) == tagBits && slots[at] == x && slots[at + 1] == y) {
                slots[at + 2] = word + 1;
                slots[at + 3] += stateBytes;
                lastSlot = at;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    int size() {
        return size;
    }

    long untracked() {
        return untracked;
    }

    int slots() {
        return mask + 1;
    }

    boolean used(int slot) {
        return slots[slot * WIDTH + 2] != 0;
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

    /** The used slots with the {@code n} largest states (or bytes), ties by the smaller key, largest first. */
    int[] top(int n, boolean byBytes) {
        int[] best = new int[Math.min(n, size)];
        int filled = 0;
        for (int i = 0; i <= mask; i++) {
            if (!used(i)) {
                continue;
            }
            if (filled == best.length && (best.length == 0 || !before(i, best[filled - 1], byBytes))) {
                continue;
            }
            int at = filled;
            while (at > 0 && before(i, best[at - 1], byBytes)) {
                at--;
            }
            int end = Math.min(filled, best.length - 1);
            System.arraycopy(best, at, best, at + 1, end - at);
            best[at] = i;
            filled = Math.min(filled + 1, best.length);
        }
        return best;
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
