package org.pfmeter.pf.states;

import java.security.SecureRandom;

/**
 * A hash table from an IPv4 address to a state count and a byte count, with open addressing, in
 * 16-byte slots: the address and the states in one long, the bytes in the next, four slots to a
 * cache line. {@link KeyTable}'s 32-byte slots would take twice the memory for the same addresses.
 *
 * <p>Its array is allocated once for {@code capacity} addresses at a load of one half, but a read
 * uses only a prefix of it, sized from the addresses the previous read counted (at most half full)
 * and doubled during a read when it gets three quarters full. A state table's breakdown meets most
 * addresses once (a source outside an attack, say), and each such address costs a cache line that
 * the state buffer's walk has evicted: the fewer lines and pages the table spreads over, the more of
 * them are still in the cache (22,000 sources take 1 MB instead of 4 MB, within the L2 and the TLB's
 * reach). Beyond {@code capacity} addresses, new ones are refused and their states counted as
 * untracked.
 *
 * <p>The hash mixes the address with a seed drawn per table, so that whoever picks the addresses
 * (a spoofed-source flood) cannot line them up in one probe chain; no result depends on where an
 * address lies: {@link #top} orders by count and address.
 */
final class Ipv4Table implements Ipv4Counts {

    /** The smallest prefix a read uses: 16 KB. */
    static final int MIN_SLOTS = 1 << 10;
    private static final long STATES = 0xffff_ffffL;
    private static final SecureRandom SEEDS = new SecureRandom();

    private final int capacity;
    private final long seed = SEEDS.nextLong();
    /** Per slot: address << 32 | states (0: empty; a slot taken counts at least one state), bytes. */
    private final long[] slots;
    /** The slots taken, in the order their addresses came. */
    private final int[] taken;
    private int mask;
    /** At this size the prefix in use doubles (Integer.MAX_VALUE: it is the whole array). */
    private int growAt;
    private int size;
    private long untracked;
    private int lastSlot = -1;

    Ipv4Table(int capacity) {
        this.capacity = capacity;
        int n = Math.max(MIN_SLOTS, Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) * 2);   // load at most one half
        this.slots = new long[n * 2];
        this.taken = new int[capacity];
        use(MIN_SLOTS);
    }

    private void use(int slotCount) {
        mask = slotCount - 1;
        growAt = slotCount * 2 >= slots.length ? Integer.MAX_VALUE : slotCount / 4 * 3;
    }

    /**
     * Empties the table for the next read, using a prefix at most half full with as many addresses
     * as this read counted. It writes the prefix from end to end (which the processor fetches ahead:
     * about 0.1 ms for 1 MB), so called just before the states are walked it also brings the whole
     * table into the cache, instead of one cache miss for each address met first.
     */
    void clear() {
        int slotCount = Math.min(slots.length / 2, Math.max(MIN_SLOTS, Integer.highestOneBit(Math.max(1, size) * 2 - 1) * 2));
        java.util.Arrays.fill(slots, 0, Math.max(slotCount, mask + 1) * 2, 0L);
        use(slotCount);
        size = 0;
        untracked = 0;
        lastSlot = -1;
    }

    private int hash(int address) {
        long h = (address ^ seed) * 0x9e3779b97f4a7c15L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h;
    }

    /** Adds one state with {@code stateBytes} to the address's counts. */
    void add(int address, long stateBytes) {
        long key = (long) address << 32;
        long[] s = slots;
        // runs of one address (an attacker's states) skip the hash
        int last = lastSlot;
        if (last >= 0 && (s[last] & ~STATES) == key) {
            s[last]++;
            s[last + 1] += stateBytes;
            return;
        }
        int m = mask;
        int i = hash(address) & m;
        while (true) {
            int at = i * 2;
            long word = s[at];
            if (word == 0) {
                if (size >= growAt) {
                    grow();
                    add(address, stateBytes);
                    return;
                }
                if (size >= capacity) {
                    untracked++;
                    return;
                }
                s[at] = key | 1;
                s[at + 1] = stateBytes;
                taken[size++] = i;
                lastSlot = at;
                return;
            }
            if ((word & ~STATES) == key) {
                s[at] = word + 1;
                s[at + 1] += stateBytes;
                lastSlot = at;
                return;
            }
            i = (i + 1) & m;
        }
    }

    /** Doubles the prefix in use and puts every address counted so far where it belongs in it. */
    private void grow() {
        long[] moved = new long[size * 2];
        for (int k = 0; k < size; k++) {
            int at = taken[k] * 2;
            moved[k * 2] = slots[at];
            moved[k * 2 + 1] = slots[at + 1];
            slots[at] = 0;
            slots[at + 1] = 0;
        }
        use((mask + 1) * 2);
        for (int k = 0; k < size; k++) {
            int i = hash((int) (moved[k * 2] >>> 32)) & mask;
            while (slots[i * 2] != 0) {
                i = (i + 1) & mask;
            }
            slots[i * 2] = moved[k * 2];
            slots[i * 2 + 1] = moved[k * 2 + 1];
            taken[k] = i;
        }
        lastSlot = -1;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long untracked() {
        return untracked;
    }

    /** The slots in the prefix in use (for tests). */
    int slotsInUse() {
        return mask + 1;
    }

    /** The address in the slot, its first byte in the low 8 bits (as pf_addr lies in memory, read little-endian). */
    @Override
    public int address(int slot) {
        return (int) (slots[slot * 2] >>> 32);
    }

    @Override
    public long states(int slot) {
        return slots[slot * 2] & STATES;
    }

    @Override
    public long bytes(int slot) {
        return slots[slot * 2 + 1];
    }

    private long value(int slot, boolean byBytes) {
        return byBytes ? bytes(slot) : states(slot);
    }

    /** The slots of the {@code n} addresses with the most states and of the {@code n} with the most bytes, each largest first. */
    record Top(int[] byStates, int[] byBytes) {
    }

    /**
     * Both top lists in one pass (ties go to the smaller address): over the prefix in use from end
     * to end when it is more than 1/32 full (the processor fetches it ahead), else address by address.
     */
    @Override
    public Top top(int n) {
        int[] byStates = new int[Math.min(n, size)];
        int[] byBytes = new int[byStates.length];
        int filled = 0;
        int slotCount = mask + 1;
        if (size > slotCount / 32) {
            for (int i = 0; i < slotCount; i++) {
                if (slots[i * 2] != 0) {
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
        return Integer.compareUnsigned(Integer.reverseBytes(address(i)), Integer.reverseBytes(address(j))) < 0;
    }
}
