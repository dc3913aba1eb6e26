package org.pfmeter.accounting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.pfmeter.pf.model.LabelKey;

/**
 * The usage of the 5-minute buckets that are still open: booked in {@code poll_journal} (migration
 * V5), not yet in {@code usage_5m}. Readers add it to the closed rows so that a report made while
 * the daemon runs, or after it stopped mid-bucket, counts every stored poll. A few rows per host
 * (the polls since the last bucket closed), so it is read whole.
 */
public final class OpenBuckets {

    /** Per host, per series (label, table, address), per bucket start: what the open buckets hold. */
    private final Map<String, Map<SeriesKey, NavigableMap<Instant, SlotUsage>>> usage;

    private OpenBuckets(Map<String, Map<SeriesKey, NavigableMap<Instant, SlotUsage>>> usage) {
        this.usage = usage;
    }

    /** What a damaged journal row means to a reader, and what to do. */
    static final String DAMAGED_JOURNAL = "the row holds what polls of an open 5-minute bucket booked, of which there is"
            + " no other copy, so nothing is reported from it. While pfmeter runs, the row goes when the bucket closes"
            + " (within 5 minutes): try again then. Otherwise `pfmeter verify` lists every damaged row and"
            + " `pfmeter verify --repair` deletes it (losing at most what its polls booked)";

    /**
     * @throws DamagedRowException a journal row whose checksum does not match
     */
    public static OpenBuckets read(Connection c) throws SQLException {
        Map<Integer, String> hostOf = new HashMap<>();
        Map<Integer, SeriesKey> keyOf = new HashMap<>();
        Map<String, Map<SeriesKey, NavigableMap<Instant, SlotUsage>>> m = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT host, polled_at, part, entries FROM poll_journal ORDER BY host, polled_at, part");
             ResultSet rs = ps.executeQuery()) {
            for (JournalParts.Row r : JournalParts.read(rs)) {
                String host = r.host();
                Instant at = r.polledAt().toInstant();
                String row = "poll_journal " + host + " " + at;
                List<JournalCodec.Entry> entries;
                try {
                    entries = JournalCodec.decode(r.joined(), host, row);
                } catch (DamagedRowException e) {
                    throw new DamagedRowException(e.getMessage() + "; " + DAMAGED_JOURNAL, e);
                }
                for (JournalCodec.Entry e : entries) {
                    if (e.booked().isEmpty()) {
                        continue;
                    }
                    if (!keyOf.containsKey(e.seriesId())) {
                        readSeries(c, hostOf, keyOf);
                    }
                    SeriesKey k = keyOf.get(e.seriesId());
                    if (k == null || !host.equals(hostOf.get(e.seriesId()))) {
                        throw new IllegalStateException(row + ": series " + e.seriesId() + " is not one of the host's series");
                    }
                    m.computeIfAbsent(host, h -> new HashMap<>()).computeIfAbsent(k, x -> new TreeMap<>())
                            .merge(SlotGrid.slotOf(at), e.booked().get(), SlotUsage::plus);
                }
            }
        }
        return new OpenBuckets(m);
    }

    private static void readSeries(Connection c, Map<Integer, String> hostOf, Map<Integer, SeriesKey> keyOf) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT series_id, host, kind, anchor, table_name, label FROM series");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                hostOf.put(rs.getInt(1), rs.getString(2));
                keyOf.put(rs.getInt(1), new SeriesKey(SeriesKind.ofSql(rs.getString(3)), rs.getString(4), rs.getString(5),
                        rs.getString(6)));
            }
        }
    }

    /** What the open buckets of {@code host} hold for {@code key} in {@code [from, to)}, by bucket start. */
    public NavigableMap<Instant, SlotUsage> of(String host, LabelKey key, Instant from, Instant to) {
        return of(host, SeriesKey.label(key), from, to);
    }

    /** What the open buckets of {@code host} hold for a series of any kind in {@code [from, to)}, by bucket start. */
    public NavigableMap<Instant, SlotUsage> of(String host, SeriesKey key, Instant from, Instant to) {
        NavigableMap<Instant, SlotUsage> b = usage.getOrDefault(host, Map.of()).get(key);
        return b == null ? new TreeMap<>() : b.subMap(from, true, to, false);
    }

    /** Every host with usage in an open bucket. */
    public java.util.Set<String> hosts() {
        return usage.keySet();
    }

    /** Every label of {@code host} with usage in an open bucket. */
    public java.util.Set<LabelKey> labels(String host) {
        return usage.getOrDefault(host, Map.<SeriesKey, NavigableMap<Instant, SlotUsage>>of()).keySet().stream()
                .filter(SeriesKey::isLabel).map(SeriesKey::labelKey).collect(java.util.stream.Collectors.toSet());
    }

    /** Every series of {@code kind} of {@code host} with usage in an open bucket. */
    public java.util.Set<SeriesKey> series(String host, SeriesKind kind) {
        return usage.getOrDefault(host, Map.<SeriesKey, NavigableMap<Instant, SlotUsage>>of()).keySet().stream()
                .filter(k -> k.kind() == kind).collect(java.util.stream.Collectors.toSet());
    }
}
