package org.pfmeter.accounting.billing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.pf.model.LabelKey;

/**
 * A {@link UsageSource} over data held in memory, for testing billing without a database: hosts
 * with their polls, and per host and label its 5-minute rows. Rows are what the ledger would have
 * stored, wherever (sealed day, closed bucket, journal): that split is the SQL source's concern.
 */
final class MemoryUsageSource implements UsageSource {

    private final Map<String, Instant> firstPolls = new TreeMap<>();
    private final Map<String, TreeSet<Long>> polledSlots = new HashMap<>();
    /** host → label → slot start → packets in, out, bytes in, out. */
    private final Map<String, Map<LabelKey, TreeMap<Long, long[]>>> rows = new TreeMap<>();
    private int reads;

    /** A poll of {@code host} at {@code at}: booked in the slot {@link SlotGrid#slotOf} gives. */
    MemoryUsageSource poll(String host, Instant at) {
        firstPolls.merge(host, at, (a, b) -> a.isBefore(b) ? a : b);
        polledSlots.computeIfAbsent(host, h -> new TreeSet<>()).add(SlotGrid.slotOf(at).getEpochSecond());
        rows.computeIfAbsent(host, h -> new HashMap<>());
        return this;
    }

    /** Polls of {@code host}, one in each slot of {@code [from, to)}, 10 s after the slot ends. */
    MemoryUsageSource polls(String host, Instant from, Instant to) {
        for (Instant t = from; t.isBefore(to); t = t.plus(SlotGrid.LENGTH)) {
            poll(host, t.plusSeconds(10));
        }
        return this;
    }

    /** {@code host} knows {@code label} (a series), with or without rows. */
    MemoryUsageSource label(String host, String label) {
        rows.computeIfAbsent(host, h -> new HashMap<>()).computeIfAbsent(key(label), k -> new TreeMap<>());
        return this;
    }

    /** A row of {@code label} on {@code host} in the slot starting at {@code slot}. */
    MemoryUsageSource row(String host, String label, Instant slot, long packetsIn, long packetsOut, long bytesIn, long bytesOut) {
        rows.computeIfAbsent(host, h -> new HashMap<>()).computeIfAbsent(key(label), k -> new TreeMap<>())
                .merge(slot.getEpochSecond(), new long[] {packetsIn, packetsOut, bytesIn, bytesOut}, (a, b) -> {
                    long[] s = new long[4];
                    for (int i = 0; i < 4; i++) {
                        s[i] = a[i] + b[i];
                    }
                    return s;
                });
        return this;
    }

    /** How many times {@link #read} was called. */
    int reads() {
        return reads;
    }

    private static LabelKey key(String qualified) {
        return LabelKey.parse(qualified);
    }

    @Override
    public <T> T read(String what, Function<Reading, T> work) {
        reads++;
        return work.apply(new Reading() {
            @Override
            public List<String> hosts() {
                return new ArrayList<>(new TreeSet<>(rows.keySet()));
            }

            @Override
            public List<LabelKey> labels(Optional<String> host) {
                TreeSet<LabelKey> keys = new TreeSet<>();
                rows.forEach((h, m) -> {
                    if (host.isEmpty() || host.get().equals(h)) {
                        keys.addAll(m.keySet());
                    }
                });
                return new ArrayList<>(keys);
            }

            @Override
            public Map<LabelKey, List<String>> hostsByLabel() {
                Map<LabelKey, List<String>> m = new HashMap<>();
                rows.forEach((h, labels) -> labels.keySet().forEach(k -> m.computeIfAbsent(k, x -> new ArrayList<>()).add(h)));
                return m;
            }

            @Override
            public Map<String, Instant> firstPolls() {
                return new HashMap<>(firstPolls);
            }

            @Override
            public Map<String, BitSet> polledSlots(long first, int slots) {
                Map<String, BitSet> m = new HashMap<>();
                polledSlots.forEach((h, set) -> {
                    for (long s : set) {
                        int i = SlotGrid.indexOf(first, slots, s);
                        if (i >= 0) {
                            m.computeIfAbsent(h, x -> new BitSet()).set(i);
                        }
                    }
                });
                return m;
            }

            @Override
            public void forEachLabel(Instant from, Instant to, Optional<String> host, Collection<LabelKey> labels,
                                     LabelSink sink) {
                for (LabelKey k : labels) {
                    sink.start(k);
                    rows.forEach((h, m) -> {
                        if (host.isPresent() && !host.get().equals(h) || !m.containsKey(k)) {
                            return;
                        }
                        m.get(k).subMap(from.getEpochSecond(), true, to.getEpochSecond(), false)
                                .forEach((slot, v) -> sink.slot(h, slot, v[0], v[1], v[2], v[3]));
                    });
                    sink.end(k);
                }
            }
        });
    }
}
