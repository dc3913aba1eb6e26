package org.pfmeter.pf.states;

import java.util.Arrays;

/**
 * A fixed-capacity hash table from a 17-byte key (two longs and a tag byte: an address with its
 * family, or an interface name) to a state count and a byte count, with open addressing. Its arrays
 * are allocated once and cleared between reads, so counting states allocates nothing and the heap
 * it takes does not grow with the table: when {@code capacity} keys are in, new keys are refused
 * and their states counted as untracked.
 */
final class KeyTable {

    private final int capacity;
    private final int mask;
    private final long[] a;
    private final long[] b;
    private final byte[] tag;             // 0: empty slot, else the key's tag + 1
    final long[] states;
    final long[] bytes;
    private int size;
    private long untracked;

    KeyTable(int capacity) {
        this.capacity = capacity;
        int slots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) * 2;   // load at most one half
        this.mask = slots - 1;
        this.a = new long[slots];
        this.b = new long[slots];
        this.tag = new byte[slots];
        this.states = new long[slots];
        this.bytes = new long[slots];
    }

    void clear() {
        Arrays.fill(tag, (byte) 0);
        Arrays.fill(states, 0);
        Arrays.fill(bytes, 0);
        size = 0;
        untracked = 0;
    }

    private static int hash(long x, long y, int t) {
        long h = x * 0x9e3779b97f4a7c15L ^ Long.rotateLeft(y * 0xc2b2ae3d27d4eb4fL, 31) ^ t;
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }

    /** Adds one state with {@code stateBytes} to the key's counts. */
    void add(long x, long y, int t, long stateBytes) {
        int i = hash(x, y, t) & mask;
        byte want = (byte) (t + 1);
        while (tag[i] != 0) {
            if (tag[i] == want && a[i] == x && b[i] == y) {
                states[i]++;
                bytes[i] += stateBytes;
                return;
            }
            i = (i + 1) & mask;
        }
        if (size >= capacity) {
            untracked++;
            return;
        }
        tag[i] = want;
        a[i] = x;
        b[i] = y;
        states[i] = 1;
        bytes[i] = stateBytes;
        size++;
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
        return tag[slot] != 0;
    }

    long a(int slot) {
        return a[slot];
    }

    long b(int slot) {
        return b[slot];
    }

    int tag(int slot) {
        return tag[slot] - 1;
    }

    /** The used slots with the {@code n} largest {@code values} (ties: the smaller key first), largest first. */
    int[] top(int n, long[] values) {
        int[] best = new int[Math.min(n, size)];
        int filled = 0;
        for (int i = 0; i <= mask; i++) {
            if (tag[i] == 0) {
                continue;
            }
            int at = filled;
            while (at > 0 && before(i, best[at - 1], values)) {
                at--;
            }
            if (at >= best.length) {
                continue;
            }
            int end = Math.min(filled, best.length - 1);
            System.arraycopy(best, at, best, at + 1, end - at);
            best[at] = i;
            filled = Math.min(filled + 1, best.length);
        }
        return best;
    }

    private boolean before(int i, int j, long[] values) {
        int c = Long.compareUnsigned(values[i], values[j]);
        if (c != 0) {
            return c > 0;
        }
        c = Integer.compare(tag[i], tag[j]);
        if (c != 0) {
            return c < 0;
        }
        c = Long.compareUnsigned(Long.reverseBytes(a[i]), Long.reverseBytes(a[j]));
        return c != 0 ? c < 0 : Long.compareUnsigned(Long.reverseBytes(b[i]), Long.reverseBytes(b[j])) < 0;
    }
}
