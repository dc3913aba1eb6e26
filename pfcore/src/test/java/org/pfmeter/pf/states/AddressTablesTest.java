package org.pfmeter.pf.states;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The address tables use a prefix of their slots sized from the previous read and double it during a
 * read that outgrows it: the counts stay exact across the doubling, and the next read's prefix is
 * sized for the keys of the last.
 */
class AddressTablesTest {

    /** Adds {@code keys} distinct addresses, the k-th {@code 1 + k % 7} times with {@code 1,000 - k % 13} bytes each. */
    private static Map<Integer, long[]> fill(Ipv4Table t, int keys, long seed) {
        Random r = new Random(seed);
        Map<Integer, long[]> truth = new HashMap<>();
        int[] addresses = r.ints().distinct().limit(keys).toArray();
        for (int round = 0; round < 7; round++) {
            for (int k = 0; k < keys; k++) {
                if (round <= k % 7) {
                    t.add(addresses[k], 1_000 - k % 13);
                    long[] c = truth.computeIfAbsent(addresses[k], a -> new long[2]);
                    c[0]++;
                    c[1] += 1_000 - k % 13;
                }
            }
        }
        return truth;
    }

    private static List<Integer> expectedTop(Map<Integer, long[]> truth, int by, int n) {
        return truth.keySet().stream()
                .sorted(Comparator.comparingLong((Integer a) -> -truth.get(a)[by])
                        .thenComparing(a -> Integer.reverseBytes(a), Integer::compareUnsigned))
                .limit(n).toList();
    }

    @Test
    void ipv4CountsStayExactWhileThePrefixDoublesAndTheNextReadStartsAtItsSize() {
        Ipv4Table t = new Ipv4Table(1 << 16);
        assertThat(t.slotsInUse()).isEqualTo(Ipv4Table.MIN_SLOTS);
        Map<Integer, long[]> truth = fill(t, 20_000, 1);
        assertThat(t.size()).isEqualTo(20_000);
        assertThat(t.untracked()).isZero();
        assertThat(t.slotsInUse()).as("doubled until at most three quarters full").isEqualTo(32_768);
        Ipv4Table.Top top = t.top(25);
        assertThat(Arrays.stream(top.byStates()).mapToObj(t::address).toList()).isEqualTo(expectedTop(truth, 0, 25));
        assertThat(Arrays.stream(top.byBytes()).mapToObj(t::address).toList()).isEqualTo(expectedTop(truth, 1, 25));
        for (int s : top.byStates()) {
            assertThat(new long[] {t.states(s), t.bytes(s)}).isEqualTo(truth.get(t.address(s)));
        }

        t.clear();
        assertThat(t.size()).isZero();
        assertThat(t.slotsInUse()).as("at most half full with 20,000 addresses").isEqualTo(65_536);
        Map<Integer, long[]> second = fill(t, 300, 2);
        assertThat(t.slotsInUse()).isEqualTo(65_536);
        assertThat(t.size()).isEqualTo(300);
        assertThat(Arrays.stream(t.top(10).byBytes()).mapToObj(t::address).toList()).as("nothing left of the first read")
                .isEqualTo(expectedTop(second, 1, 10));
        t.clear();
        assertThat(t.slotsInUse()).as("shrinks to the last read's addresses").isEqualTo(1_024);
        fill(t, 3, 3);
        assertThat(t.size()).isEqualTo(3);
    }

    @Test
    void ipv4CountsExactlyUntilFullThenCountsTheRestAsUntracked() {
        Ipv4Table t = new Ipv4Table(3);
        for (int i = 0; i < 5; i++) {
            t.add(i % 4, 10);
        }
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.untracked()).isEqualTo(1);
        int[] top = t.top(2).byStates();
        assertThat(t.address(top[0])).as("0.0.0.0 is an address like any other").isZero();
        assertThat(t.states(top[0])).isEqualTo(2);
        assertThat(t.bytes(top[0])).isEqualTo(20);
    }

    @Test
    void otherFamiliesCountsStayExactWhileThePrefixDoubles() {
        KeyTable t = new KeyTable(1 << 12);
        Map<List<Long>, Long> truth = new HashMap<>();
        for (int k = 0; k < 3_000; k++) {
            for (int s = 0; s <= k % 3; s++) {
                t.add(0x20010db8L + k, k * 31L, k % 2, 100);
                truth.merge(List.of(0x20010db8L + k, k * 31L, (long) (k % 2)), 1L, Long::sum);
            }
        }
        assertThat(t.size()).isEqualTo(3_000);
        assertThat(t.untracked()).isZero();
        int[] all = t.top(3_000).byStates();
        for (int s : all) {
            assertThat(t.states(s)).isEqualTo(truth.get(List.of(t.a(s), t.b(s), (long) t.tag(s))));
            assertThat(t.bytes(s)).isEqualTo(100 * t.states(s));
        }
        assertThat(Arrays.stream(all).mapToObj(s -> List.of(t.a(s), t.b(s), (long) t.tag(s))).distinct().count())
                .isEqualTo(3_000);
        t.clear();
        t.add(1, 2, 1, 5);
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.states(t.top(1).byStates()[0])).isEqualTo(1);
    }

    /** A run of states added at once (an interface's) counts as the same states added one by one, also once the table is full. */
    @Test
    void aRunOfStatesCountsAsItsStatesOneByOne() {
        KeyTable runs = new KeyTable(4);
        KeyTable single = new KeyTable(4);
        long[][] keys = {{0x6c6c61L, 0}, {0x306d6576L, 0}, {0x6c6c61L, 0}, {0x316d6576L, 0}, {0x326d6576L, 0},
            {0x336d6576L, 0}, {0x6c6c61L, 0}, {0x346d6576L, 0}};
        for (int k = 0; k < keys.length; k++) {
            long states = 1 + k * 3L;
            runs.add(keys[k][0], keys[k][1], 0, states, 10 * states);
            for (int s = 0; s < states; s++) {
                single.add(keys[k][0], keys[k][1], 0, 10);
            }
        }
        assertThat(runs.untracked()).isEqualTo(single.untracked()).isEqualTo(16 + 22);    // the 6th and 8th runs: new keys once full
        assertThat(runs.size()).isEqualTo(single.size()).isEqualTo(4);
        int[] r = runs.top(4).byStates();
        int[] s = single.top(4).byStates();
        for (int i = 0; i < 4; i++) {
            assertThat(List.of(runs.a(r[i]), runs.states(r[i]), runs.bytes(r[i])))
                    .isEqualTo(List.of(single.a(s[i]), single.states(s[i]), single.bytes(s[i])));
        }
        assertThat(runs.states(r[0])).isEqualTo(1 + 7 + 19);
    }
}
