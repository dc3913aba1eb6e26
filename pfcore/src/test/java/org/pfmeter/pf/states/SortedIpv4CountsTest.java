package org.pfmeter.pf.states;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sorting the appended addresses gives what the hash table {@link Ipv4Table} gives for the same
 * states: the same counts, the same top lists in the same order (ties included), and beyond the
 * capacity the same addresses kept (those met first) and the same states untracked.
 */
class SortedIpv4CountsTest {

    /** Per side (hashed or sorted): address, states, bytes of each listed entry, then distinct and untracked. */
    private static List<Long> listed(Ipv4Counts t, int n) {
        List<Long> out = new ArrayList<>();
        Ipv4Table.Top top = t.top(n);
        for (int[] list : new int[][] {top.byStates(), top.byBytes()}) {
            for (int s : list) {
                out.addAll(List.of((long) t.address(s), t.states(s), t.bytes(s)));
            }
        }
        out.addAll(List.of((long) t.size(), t.untracked()));
        return out;
    }

    /** {@code states} states over {@code spread} addresses (few bytes values, so counts tie often), two reads. */
    private static void compare(int capacity, int states, int spread, long seed) {
        compare(new SortedIpv4Counts(capacity), capacity, states, new int[] {spread, spread}, seed);
    }

    /** One read per entry of {@code spreads}, each over that many addresses, into the same counts. */
    private static void compare(SortedIpv4Counts sorted, int capacity, int states, int[] spreads, long seed) {
        Random r = new Random(seed);
        for (int read = 0; read < spreads.length; read++) {
            int spread = spreads[read];
            Ipv4Table from = new Ipv4Table(capacity);
            Ipv4Table to = new Ipv4Table(capacity);
            sorted.clear();
            int[] pool = r.ints(spread).toArray();
            for (int i = 0; i < states; i++) {
                int a = pool[Math.min(r.nextInt(spread), r.nextInt(spread))];      // skewed: low indices often
                int b = i % 5 == 0 ? 0x0101a8c0 : pool[r.nextInt(spread)];         // 192.168.1.1 often
                long bytes = r.nextInt(3) * 1_000L;
                from.add(a, bytes);
                to.add(b, bytes);
                sorted.add(a, b, bytes);
            }
            sorted.count();
            assertThat(listed(sorted.sources(), 10)).as("sources, read %d", read).isEqualTo(listed(from, 10));
            assertThat(listed(sorted.destinations(), 10)).as("destinations, read %d", read).isEqualTo(listed(to, 10));
        }
    }

    @Test
    void equalsTheHashTableWithinCapacity() {
        compare(1 << 16, 30_000, 5_000, 1);
    }

    @Test
    void keepsTheAddressesMetFirstBeyondCapacity() {
        compare(1_000, 30_000, 5_000, 2);
    }

    /**
     * Enough states and addresses that the run cache evicts runs and an address's runs come back
     * many times (its size grows with the states: 64 runs for these 50, 1,024 and 8,192 for 200,000):
     * the runs add up to the hash table's counts, and beyond the capacity the addresses kept are
     * still those met first, though their first runs may come after others' in the sort's input.
     */
    @Test
    void runsSplitByTheCacheAddUpToTheSameCounts() {
        compare(1 << 16, 200_000, 60_000, 3);
        compare(5_000, 200_000, 60_000, 4);
        compare(16, 50, 40, 5);
        compare(8, 50, 40, 6);
    }

    /**
     * A side collapses its states into runs only after a read that met each address four times or
     * more on average; either way the counts equal the hash table's.
     */
    @Test
    void aSideCollapsesOnlyAfterAReadThatMetItsAddressesOftenEnough() {
        SortedIpv4Counts sorted = new SortedIpv4Counts(1 << 16);
        assertThat(sorted.sources().collapses()).as("the first read").isTrue();
        compare(sorted, 1 << 16, 40_000, new int[] {30_000}, 7);          // most addresses met once or twice
        assertThat(sorted.sources().collapses()).isFalse();
        assertThat(sorted.destinations().collapses()).isFalse();
        compare(sorted, 1 << 16, 40_000, new int[] {2_000}, 8);           // counted without runs
        assertThat(sorted.sources().collapses()).isTrue();
        assertThat(sorted.destinations().collapses()).isTrue();
        compare(sorted, 1 << 16, 40_000, new int[] {2_000}, 9);           // with runs again
    }

    @Test
    void addressesWithTheHighBitSetAndZeroSortAsUnsigned() {
        SortedIpv4Counts sorted = new SortedIpv4Counts(16);
        Ipv4Table table = new Ipv4Table(16);
        for (int a : new int[] {0xff, 0, 0x80, 0x7f, 0xff, 0, 0xffff_ffff, 0x80}) {
            sorted.add(a, a, 7);
            table.add(a, 7);
        }
        sorted.count();
        assertThat(listed(sorted.sources(), 10)).isEqualTo(listed(table, 10));
    }

    @Test
    void aReadWithoutStatesCountsNothing() {
        SortedIpv4Counts sorted = new SortedIpv4Counts(16);
        sorted.add(1, 2, 3);
        sorted.count();
        sorted.clear();
        sorted.count();
        assertThat(sorted.sources().size()).isZero();
        assertThat(sorted.destinations().top(10).byStates()).isEmpty();
    }
}
