package org.pfmeter.accounting.store;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.pfmeter.pf.model.LabelKey;

/**
 * The ledger's tables (migration V5): what a poll writes, what closing a 5-minute bucket writes,
 * sealing a day, and reading back what a host's ledger holds after a restart. The ledger
 * ({@code org.pfmeter.accounting.ledger}) decides what to write; this class is the only one that
 * knows the tables and the byte formats ({@link JournalCodec}, {@link DaySlots}).
 *
 * <h2>What is written when</h2>
 * <ul>
 *   <li><b>Every poll</b>, one transaction ({@link #writePoll}): the host's row in {@code pf_host},
 *       one {@code poll_journal} row packing the labels whose counters changed (stored in
 *       parts of at most 256 KiB, {@link JournalParts}), a
 *       {@code host_poll_slot} row for the first poll of a slot, new {@code series} and
 *       {@code ledger_event} rows when there are any.</li>
 *   <li><b>When a bucket closes</b> (the first poll in a later bucket), two transactions
 *       ({@link #closeBucket}): the raw counters of the labels that changed in it
 *       ({@code label_counters}); then one {@code usage_5m} row per label that moved in it (INSERT,
 *       never UPDATE) with its journal rows deleted.</li>
 *   <li><b>When a day has ended</b> ({@link #sealNextDay}): one {@code usage_5m_day} row per label.</li>
 * </ul>
 *
 * Crash safety: every write is one transaction, and the journal plus {@code label_counters} always
 * hold the raw counters of the last stored poll, so a restart ({@link #load}) continues exactly.
 *
 * <p>Series numbers are cached per host; call from one thread (the ledger's writer) at a time.
 */
public final class LedgerStore {

    /** What {@code pf_host} holds of a host. */
    public record HostRecord(Instant firstPolledAt, Instant lastPolledAt, String checksum, long since,
                             Optional<Instant> sealedUntil) {
        public HostRecord {
            Objects.requireNonNull(firstPolledAt, "firstPolledAt");
            Objects.requireNonNull(lastPolledAt, "lastPolledAt");
            Objects.requireNonNull(checksum, "checksum");
            Objects.requireNonNull(sealedUntil, "sealedUntil");
        }
    }

    /**
     * One journal row: a poll's, or the merged polls of one bucket ({@link #mergeJournal}).
     *
     * @param polledAt the row's poll (a merged row: the bucket's last poll)
     * @param entries  per label, what the row holds and when its raw counters were read
     */
    public record JournalRow(Instant polledAt, List<StoredEntry> entries) {
        public JournalRow {
            entries = List.copyOf(entries);
        }
    }

    /** A label of a journal row, with the time its raw counters were read (the row's time, or earlier in a merged row). */
    public record StoredEntry(JournalEntry entry, Instant readAt) {
        public StoredEntry {
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(readAt, "readAt");
        }
    }

    /**
     * What the database holds of a host's ledger.
     *
     * @param checkpoint the raw counters as of each label's last closed bucket ({@code label_counters})
     * @param journal    the polls since, oldest first: their entries supersede the checkpoint
     */
    public record StoredHost(HostRecord host, Map<SeriesKey, StoredCounters> checkpoint, List<JournalRow> journal) {
    }

    /** A row of the audit trail; host-wide events have the key ("", ""). */
    public record Event(String kind, LabelKey key, String detail) {
    }

    /**
     * What one poll writes.
     *
     * @param previousPoll the host's last stored poll this one follows (empty: the host's first)
     * @param firstInSlot  the poll is the host's first in its 5-minute slot
     */
    public record PollWrite(String host, Instant polledAt, String checksum, long since, Optional<Instant> previousPoll,
                            boolean firstInSlot, List<JournalEntry> entries, List<Event> events) {
        public PollWrite {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(polledAt, "polledAt");
            Objects.requireNonNull(checksum, "checksum");
            Objects.requireNonNull(previousPoll, "previousPoll");
            entries = List.copyOf(entries);
            events = List.copyOf(events);
        }
    }

    private static final BigDecimal TWO_64 = new BigDecimal(BigInteger.ONE.shiftLeft(64));
    private static final int BATCH = 1_000;

    private final AccountingStore store;
    /** Per host, the number of each of its series that has been committed. */
    private final Map<String, Map<SeriesKey, Integer>> ids = new HashMap<>();

    public LedgerStore(AccountingStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    public AccountingStore accountingStore() {
        return store;
    }

    /** Forgets what is cached of {@code host} (after a failed write: the next call reads it again). */
    public synchronized void forget(String host) {
        ids.remove(host);
    }

    // ---------------------------------------------------------------------------------------------
    // reading back

    /** What the database holds of {@code host}'s ledger; empty for a host never polled into it. */
    public synchronized Optional<StoredHost> load(String host) {
        return store.inTransaction("read the ledger of " + host, c -> {
            HostRecord h = readHost(c, host);
            if (h == null) {
                ids.remove(host);
                return Optional.empty();
            }
            Map<SeriesKey, Integer> byKey = readSeries(c, host);
            Map<Integer, SeriesKey> byId = new HashMap<>();
            byKey.forEach((k, id) -> byId.put(id, k));
            Map<SeriesKey, StoredCounters> checkpoint = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT c.series_id, c.polled_at, c.rule_count, c.evaluations,"
                    + " c.packets_in, c.packets_out, c.bytes_in, c.bytes_out, c.states_total FROM label_counters c"
                    + " JOIN series s ON s.series_id = c.series_id WHERE s.host = ?")) {
                ps.setString(1, host);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        checkpoint.put(key(byId, rs.getInt(1), host), new StoredCounters(
                                new Counters(rs.getInt(3), u64(rs.getBigDecimal(4)), u64(rs.getBigDecimal(5)),
                                        u64(rs.getBigDecimal(6)), u64(rs.getBigDecimal(7)), u64(rs.getBigDecimal(8)),
                                        u64(rs.getBigDecimal(9))),
                                instant(rs, 2)));
                    }
                }
            }
            List<JournalRow> journal = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT host, polled_at, part, entries FROM poll_journal WHERE host = ? ORDER BY host, polled_at, part")) {
                ps.setString(1, host);
                try (ResultSet rs = ps.executeQuery()) {
                    for (JournalParts.Row r : JournalParts.read(rs)) {
                        Instant at = r.polledAt().toInstant();
                        journal.add(new JournalRow(at, decode(r, host, at, byId)));
                    }
                }
            }
            ids.put(host, byKey);
            return Optional.of(new StoredHost(h, checkpoint, journal));
        });
    }

    private static List<StoredEntry> decode(JournalParts.Row parts, String host, Instant at, Map<Integer, SeriesKey> byId) {
        String row = "poll_journal " + host + " " + at;
        List<StoredEntry> entries = new ArrayList<>();
        List<JournalCodec.Entry> coded;
        try {
            coded = JournalCodec.decode(parts.joined(), host, row);
        } catch (DamagedRowException e) {
            throw new DamagedRowException(e.getMessage() + "; the ledger of " + host + " cannot go on from a damaged"
                    + " journal: `pfmeter verify --repair` deletes the row (losing at most what its polls booked)", e);
        }
        for (JournalCodec.Entry e : coded) {
            entries.add(new StoredEntry(new JournalEntry(key(byId, e.seriesId(), row), e.raw(), e.booked()),
                    at.minusNanos(e.ageNanos())));
        }
        return entries;
    }

    private static SeriesKey key(Map<Integer, SeriesKey> byId, int id, String where) {
        SeriesKey k = byId.get(id);
        if (k == null) {
            throw new IllegalStateException(where + ": series " + id + " is not one of the host's series");
        }
        return k;
    }

    private static HostRecord readHost(Connection c, String host) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT first_polled_at, last_polled_at, ruleset_checksum, pf_since,"
                + " sealed_until FROM pf_host WHERE host = ?")) {
            ps.setString(1, host);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                OffsetDateTime sealed = rs.getObject(5, OffsetDateTime.class);
                return new HostRecord(instant(rs, 1), instant(rs, 2), rs.getString(3), u64(rs.getBigDecimal(4)),
                        Optional.ofNullable(sealed).map(OffsetDateTime::toInstant));
            }
        }
    }

    private static Map<SeriesKey, Integer> readSeries(Connection c, String host) throws SQLException {
        Map<SeriesKey, Integer> m = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT series_id, kind, anchor, table_name, label FROM series WHERE host = ?")) {
            ps.setString(1, host);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    m.put(new SeriesKey(SeriesKind.ofSql(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getString(5)),
                            rs.getInt(1));
                }
            }
        }
        return m;
    }

    // ---------------------------------------------------------------------------------------------
    // a poll

    /**
     * Stores one poll in one transaction.
     *
     * @return false, writing nothing, when the host's stored last poll is not {@code w.previousPoll()}
     *         (another writer, or a commit that went through although it reported a failure): read
     *         the host again with {@link #load}
     */
    public synchronized boolean writePoll(PollWrite w) {
        Map<SeriesKey, Integer> known = ids.get(w.host());
        if (known == null && w.previousPoll().isPresent()) {
            return false;
        }
        Map<SeriesKey, Integer> committed = store.inTransaction("record the poll of " + w.host() + " at " + w.polledAt(), c -> {
            if (!writeHost(c, w)) {
                return null;
            }
            Map<SeriesKey, Integer> series = withNewSeries(c, w, known == null ? Map.of() : known);
            if (w.firstInSlot()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO host_poll_slot (host, slot_start) VALUES (?, ?)")) {
                    ps.setString(1, w.host());
                    ps.setObject(2, utc(SlotGrid.slotOf(w.polledAt())));
                    ps.executeUpdate();
                }
            }
            if (!w.entries().isEmpty()) {
                List<JournalCodec.Entry> coded = new ArrayList<>(w.entries().size());
                for (JournalEntry e : w.entries()) {
                    coded.add(new JournalCodec.Entry(series.get(e.key()), e.raw(), e.booked()));
                }
                JournalParts.insert(c, w.host(), utc(w.polledAt()), JournalCodec.encode(coded, w.host()));
            }
            writeEvents(c, w);
            return series;
        });
        if (committed == null) {
            return false;
        }
        ids.put(w.host(), committed);
        return true;
    }

    private static boolean writeHost(Connection c, PollWrite w) throws SQLException {
        if (w.previousPoll().isEmpty()) {
            if (readHost(c, w.host()) != null) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO pf_host (host, first_polled_at, last_polled_at,"
                    + " ruleset_checksum, pf_since) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, w.host());
                ps.setObject(2, utc(w.polledAt()));
                ps.setObject(3, utc(w.polledAt()));
                ps.setString(4, w.checksum());
                ps.setBigDecimal(5, decimal(w.since()));
                ps.executeUpdate();
            }
            return true;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE pf_host SET last_polled_at = ?, ruleset_checksum = ?, pf_since = ?"
                + " WHERE host = ? AND last_polled_at = ?")) {
            ps.setObject(1, utc(w.polledAt()));
            ps.setString(2, w.checksum());
            ps.setBigDecimal(3, decimal(w.since()));
            ps.setString(4, w.host());
            ps.setObject(5, utc(w.previousPoll().get()));
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Numbers the labels of {@code w} that have no series yet.
     *
     * @return {@code series} itself when every label has one (the common poll: no copy), else every
     *         series of the host read back after the inserts
     */
    private static Map<SeriesKey, Integer> withNewSeries(Connection c, PollWrite w, Map<SeriesKey, Integer> series)
            throws SQLException {
        List<SeriesKey> missing = new ArrayList<>();
        for (JournalEntry e : w.entries()) {
            if (!series.containsKey(e.key())) {
                missing.add(e.key());
            }
        }
        if (missing.isEmpty()) {
            return series;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO series (host, kind, anchor, table_name, label) VALUES (?, ?, ?, ?, ?)")) {
            int n = 0;
            for (SeriesKey k : missing) {
                ps.setString(1, w.host());
                ps.setString(2, k.kind().sql());
                ps.setString(3, k.anchor());
                ps.setString(4, k.table());
                ps.setString(5, k.label());
                ps.addBatch();
                if (++n % BATCH == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        Map<SeriesKey, Integer> all = readSeries(c, w.host());
        for (SeriesKey k : missing) {
            if (!all.containsKey(k)) {
                throw new SQLException("series " + w.host() + " " + k + " was inserted but cannot be read back");
            }
        }
        return all;
    }

    private static void writeEvents(Connection c, PollWrite w) throws SQLException {
        if (w.events().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ledger_event (host, event_at, kind, anchor, label, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Event e : w.events()) {
                ps.setString(1, w.host());
                ps.setObject(2, utc(w.polledAt()));
                ps.setString(3, e.kind());
                ps.setString(4, e.key().anchor());
                ps.setString(5, e.key().label());
                ps.setString(6, e.detail().length() > 1024 ? e.detail().substring(0, 1024) : e.detail());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // a bucket closes

    /**
     * Closes one 5-minute bucket of {@code host} in two transactions: first stores the raw counters
     * its polls left ({@code label_counters}), then inserts its {@code usage_5m} rows and deletes its
     * journal rows (those of polls up to the bucket's end). Close buckets oldest first.
     *
     * <p>Why two: H2 2.5 wrote about 21 MB for one transaction that updates 5,000 counter rows and
     * deletes the 5 MB of journal rows a bucket of 5,000 labels holds, against about 0.9 MB for the
     * two apart (measured 2026-12-03, accounting/README.md, "Measured on schema v5"). Apart they are
     * as safe: the counters stored first are those of the bucket's last poll, which its journal rows
     * (still there until the second commit) restore anyway when the ledger is read back; the rows and
     * the deletion, which must never be seen one without the other, share the second transaction.
     *
     * @param bucket     the bucket's start ({@link SlotGrid#slotOf})
     * @param usage      per label that moved in the bucket, what it added
     * @param checkpoint per label that changed in the bucket, its raw counters after the bucket's last poll
     */
    public synchronized void closeBucket(String host, Instant bucket, Map<SeriesKey, SlotUsage> usage,
                                         Map<SeriesKey, StoredCounters> checkpoint) {
        Map<SeriesKey, Integer> known = ids.get(host);
        if (known == null) {
            throw new IllegalStateException("the ledger of " + host + " was not read before closing a bucket");
        }
        if (!checkpoint.isEmpty()) {
            store.inTransaction("store the counters of the 5-minute bucket " + bucket + " of " + host, c -> {
                writeCheckpoint(c, host, checkpoint, known);
                return null;
            });
        }
        store.inTransaction("close the 5-minute bucket " + bucket + " of " + host, c -> {
            insertUsage(c, host, bucket, usage, known);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM poll_journal WHERE host = ? AND polled_at <= ?")) {
                ps.setString(1, host);
                ps.setObject(2, utc(SlotGrid.end(bucket)));
                ps.executeUpdate();
            }
            if (store.database() == Database.H2) {
                touchJournalAfter(c, host, SlotGrid.end(bucket));
            }
            return null;
        });
    }

    /**
     * Rewrites (unchanged) the journal rows of {@code host} polled after {@code end}, in the
     * transaction that deletes the rows up to {@code end}, so that H2 2.5.252 frees the space of
     * the pages the deletion replaces.
     *
     * <p>Why: when a commit removes every row of a B-tree leaf whose parent has only one other
     * child, H2 2.5.252 ({@code mvstore.tx.CommitDecisionMaker.decide}) puts a <em>copy</em> of that
     * other child in the parent's place and never accounts the copied page as removed. If that page
     * was already in the file, H2 counts it live for ever though no tree reaches it, and keeps its
     * whole chunk: the journal's deleted rows and everything else that commit wrote (H2 2.4.240
     * reuses the child itself). In the journal that other child is, at almost every bucket close,
     * the leaf holding the rows of the poll that closed the bucket, written by that poll's commit.
     * Updated in the same transaction, that leaf is a new, unsaved page when the commit copies it,
     * and the copy replaces nothing in the file. Only on H2: PostgreSQL does not have this fault,
     * and the update would only leave dead tuples. See accounting/README.md, "Why the file grows",
     * and {@code BucketCloseSpaceTest}.
     */
    private static void touchJournalAfter(Connection c, String host, Instant end) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE poll_journal SET part = part WHERE host = ? AND polled_at > ?")) {
            ps.setString(1, host);
            ps.setObject(2, utc(end));
            ps.executeUpdate();
        }
    }

    private static void insertUsage(Connection c, String host, Instant bucket, Map<SeriesKey, SlotUsage> usage,
                                    Map<SeriesKey, Integer> known) throws SQLException {
        if (usage.isEmpty()) {
            return;
        }
        // in series order: the rows of a bucket are appended to the end of the primary key
        TreeMap<Integer, SlotUsage> rows = new TreeMap<>();
        usage.forEach((k, u) -> rows.put(id(known, host, k), u));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_5m (bucket_start, series_id, packets_in, packets_out,"
                + " bytes_in, bytes_out, evaluations, states_created, states_max, polls, resets)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            OffsetDateTime at = utc(bucket);
            int n = 0;
            for (Map.Entry<Integer, SlotUsage> e : rows.entrySet()) {
                SlotUsage u = e.getValue();
                ps.setObject(1, at);
                ps.setInt(2, e.getKey());
                ps.setLong(3, u.packetsIn());
                ps.setLong(4, u.packetsOut());
                ps.setLong(5, u.bytesIn());
                ps.setLong(6, u.bytesOut());
                ps.setLong(7, u.evaluations());
                ps.setLong(8, u.statesCreated());
                ps.setLong(9, u.statesMax());
                ps.setInt(10, u.polls());
                ps.setInt(11, u.resets());
                ps.addBatch();
                if (++n % BATCH == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static void writeCheckpoint(Connection c, String host, Map<SeriesKey, StoredCounters> checkpoint,
                                        Map<SeriesKey, Integer> known) throws SQLException {
        if (checkpoint.isEmpty()) {
            return;
        }
        TreeMap<Integer, StoredCounters> rows = new TreeMap<>();
        checkpoint.forEach((k, v) -> rows.put(id(known, host, k), v));
        List<Integer> order = new ArrayList<>(rows.keySet());
        List<Integer> missing = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("UPDATE label_counters SET polled_at = ?, rule_count = ?, evaluations = ?,"
                + " packets_in = ?, packets_out = ?, bytes_in = ?, bytes_out = ?, states_total = ? WHERE series_id = ?")) {
            for (int from = 0; from < order.size(); from += BATCH) {
                List<Integer> chunk = order.subList(from, Math.min(order.size(), from + BATCH));
                for (int id : chunk) {
                    bindCounters(ps, id, rows.get(id));
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 0) {
                        missing.add(chunk.get(i));
                    } else if (counts[i] != 1) {
                        throw new SQLException("updating label_counters of series " + chunk.get(i) + " reported " + counts[i]
                                + " rows (the JDBC driver must report update counts)");
                    }
                }
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO label_counters (polled_at, rule_count, evaluations, packets_in,"
                + " packets_out, bytes_in, bytes_out, states_total, series_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int n = 0;
            for (int id : missing) {
                bindCounters(ps, id, rows.get(id));
                ps.addBatch();
                if (++n % BATCH == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static void bindCounters(PreparedStatement ps, int id, StoredCounters s) throws SQLException {
        Counters k = s.counters();
        ps.setObject(1, utc(s.polledAt()));
        ps.setInt(2, k.rules());
        ps.setBigDecimal(3, decimal(k.evaluations()));
        ps.setBigDecimal(4, decimal(k.packetsIn()));
        ps.setBigDecimal(5, decimal(k.packetsOut()));
        ps.setBigDecimal(6, decimal(k.bytesIn()));
        ps.setBigDecimal(7, decimal(k.bytesOut()));
        ps.setBigDecimal(8, decimal(k.statesTotal()));
        ps.setInt(9, id);
    }

    private static int id(Map<SeriesKey, Integer> known, String host, SeriesKey k) {
        Integer id = known.get(k);
        if (id == null) {
            throw new IllegalStateException(k + " of " + host + " has no series number");
        }
        return id;
    }

    // ---------------------------------------------------------------------------------------------
    // shutdown: the open buckets' journal merged

    /**
     * Merges the journal rows of each of {@code host}'s open buckets into one row per bucket, in one
     * transaction: the bucket's rows are deleted and one row (version 2 of {@link JournalCodec}) is
     * inserted at the time of its last poll, holding per label the raw counters of its last poll in
     * the bucket (with their time) and the sum of what its polls booked. {@link #load} then reads
     * back exactly the state the rows held, and readers ({@link OpenBuckets}) the same usage. For
     * shutdown: at a short interval an open bucket holds up to 150 rows of a whole poll each.
     *
     * @param lastPolledAt the host's last stored poll as the caller knows it: nothing is merged (and
     *                     false returned) when {@code pf_host} says otherwise, so a merge never races
     *                     another writer of the host
     * @return the host's journal rows before and after, or empty (nothing merged) when {@code pf_host}
     *         does not hold {@code lastPolledAt}
     */
    public synchronized Optional<Merge> mergeJournal(String host, Instant lastPolledAt) {
        return store.inTransaction("merge the open buckets' journal of " + host, c -> {
            // takes the host's row lock (PostgreSQL) before reading the journal, as a poll's write does
            try (PreparedStatement ps = c.prepareStatement("UPDATE pf_host SET last_polled_at = last_polled_at"
                    + " WHERE host = ? AND last_polled_at = ?")) {
                ps.setString(1, host);
                ps.setObject(2, utc(lastPolledAt));
                if (ps.executeUpdate() != 1) {
                    return Optional.<Merge>empty();
                }
            }
            TreeMap<Instant, List<Instant>> rowsByBucket = new TreeMap<>();
            Map<Instant, JournalParts.Row> bytes = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT host, polled_at, part, entries FROM poll_journal WHERE host = ? ORDER BY host, polled_at, part")) {
                ps.setString(1, host);
                try (ResultSet rs = ps.executeQuery()) {
                    for (JournalParts.Row r : JournalParts.read(rs)) {
                        Instant at = r.polledAt().toInstant();
                        rowsByBucket.computeIfAbsent(SlotGrid.slotOf(at), b -> new ArrayList<>()).add(at);
                        bytes.put(at, r);
                    }
                }
            }
            int after = 0;
            for (List<Instant> rows : rowsByBucket.values()) {
                after++;
                if (rows.size() < 2) {
                    continue;
                }
                Instant last = rows.get(rows.size() - 1);
                byte[] merged = JournalCodec.encode(merge(host, rows, bytes, last), host);
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM poll_journal WHERE host = ? AND polled_at >= ? AND polled_at <= ?")) {
                    ps.setString(1, host);
                    ps.setObject(2, utc(rows.get(0)));
                    ps.setObject(3, utc(last));
                    int deleted = ps.executeUpdate();
                    int parts = rows.stream().mapToInt(at -> bytes.get(at).parts().size()).sum();
                    if (deleted != parts) {
                        throw new SQLException("merging the journal of " + host + ": deleted " + deleted + " rows of "
                                + parts + " (the parts of " + rows.size() + " polls)");
                    }
                }
                JournalParts.insert(c, host, utc(last), merged);
            }
            return Optional.of(new Merge(bytes.size(), after));
        });
    }

    /** What {@link #mergeJournal} did: the host's journal rows before and after (one per open bucket). */
    public record Merge(int rowsBefore, int rowsAfter) {
    }

    /** The rows {@code rows} (one bucket's, oldest first) as one row at {@code last}, in series order. */
    private static List<JournalCodec.Entry> merge(String host, List<Instant> rows, Map<Instant, JournalParts.Row> bytes,
            Instant last) {
        TreeMap<Integer, JournalCodec.Entry> bySeries = new TreeMap<>();
        for (Instant at : rows) {
            for (JournalCodec.Entry e : JournalCodec.decode(bytes.get(at).joined(), host, "poll_journal " + host + " " + at)) {
                long age = java.time.Duration.between(at.minusNanos(e.ageNanos()), last).toNanos();
                JournalCodec.Entry before = bySeries.get(e.seriesId());
                Optional<SlotUsage> booked = before == null || before.booked().isEmpty() ? e.booked()
                        : e.booked().isEmpty() ? before.booked() : Optional.of(before.booked().get().plus(e.booked().get()));
                bySeries.put(e.seriesId(), new JournalCodec.Entry(e.seriesId(), e.raw(), booked, age));
            }
        }
        return new ArrayList<>(bySeries.values());
    }

    // ---------------------------------------------------------------------------------------------
    // sealed days

    /**
     * Seals {@code host}'s next unsealed UTC day if all of it lies before {@code before} (the start
     * of the host's oldest open bucket): packs each label's 5-minute rows of the day into one
     * {@code usage_5m_day} row and moves {@code pf_host.sealed_until} on, in one transaction.
     *
     * @return the day sealed, or empty when none was due
     * @throws IllegalArgumentException for a host never polled
     */
    public synchronized Optional<Instant> sealNextDay(String host, Instant before) {
        return store.inTransaction("seal a day of " + host, c -> {
            HostRecord h = readHost(c, host);
            if (h == null) {
                throw new IllegalArgumentException("host '" + host + "' has never been polled into this database");
            }
            Instant day = h.sealedUntil().orElse(firstDayToSeal(h.firstPolledAt()));
            if (day.plus(DaySlots.DAY).isAfter(before)) {
                return Optional.<Instant>empty();
            }
            sealDay(c, host, day);
            try (PreparedStatement ps = c.prepareStatement("UPDATE pf_host SET sealed_until = ? WHERE host = ?")) {
                ps.setObject(1, utc(day.plus(DaySlots.DAY)));
                ps.setString(2, host);
                ps.executeUpdate();
            }
            return Optional.of(day);
        });
    }

    /**
     * The first UTC day a host seals: the day of its first poll's 5-minute slot (a poll at midnight
     * is booked in the previous day's last slot).
     */
    public static Instant firstDayToSeal(Instant firstPoll) {
        return DaySlots.dayOf(SlotGrid.slotOf(firstPoll));
    }

    /**
     * The read that seals a day: every 5-minute row of the day, through the primary key's leading
     * time column. On H2 the rows of all hosts are read and those of other hosts skipped: joined
     * with {@code series}, H2's planner starts from the host's series and scans the day once per
     * series (SealPlanTest pins the plan); an embedded file has one host anyway. PostgreSQL, which
     * fleets share, joins, with nested loops switched off for the transaction: without statistics
     * on the new tables (right after the upgrade to v5) it chose them, and a day of 1,000 labels
     * took about 20 s instead of 4 (measured 2026-12-03, accounting/README.md).
     */
    static String dayRowsSql(Database db) {
        return db == Database.H2
                ? "SELECT series_id, bucket_start, packets_in, packets_out, bytes_in, bytes_out FROM usage_5m"
                        + " WHERE bucket_start >= ? AND bucket_start < ?"
                : "SELECT u.series_id, u.bucket_start, u.packets_in, u.packets_out, u.bytes_in, u.bytes_out FROM usage_5m u"
                        + " JOIN series s ON s.series_id = u.series_id"
                        + " WHERE u.bucket_start >= ? AND u.bucket_start < ? AND s.host = ?";
    }

    private static void sealDay(Connection c, String host, Instant day) throws SQLException {
        Database db = Database.of(c);
        java.util.Set<Integer> mine = new java.util.HashSet<>(readSeries(c, host).values());
        TreeMap<Integer, DaySlots> series = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(dayRowsSql(db))) {
            ps.setFetchSize(10_000);
            ps.setObject(1, utc(day));
            ps.setObject(2, utc(day.plus(DaySlots.DAY)));
            if (db != Database.H2) {
                ps.setString(3, host);
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute("SET LOCAL enable_nestloop = off");
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!mine.contains(rs.getInt(1))) {
                        continue;
                    }
                    series.computeIfAbsent(rs.getInt(1), k -> new DaySlots())
                            .add(day, instant(rs, 2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM usage_5m_day WHERE day_start = ? AND series_id IN"
                + " (SELECT series_id FROM series WHERE host = ?)")) {
            ps.setObject(1, utc(day));
            ps.setString(2, host);
            ps.executeUpdate();
        }
        if (series.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_5m_day (series_id, day_start, packets_in, packets_out,"
                + " bytes_in, bytes_out, slots) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            int n = 0;
            for (Map.Entry<Integer, DaySlots> e : series.entrySet()) {
                DaySlots d = e.getValue();
                ps.setInt(1, e.getKey());
                ps.setObject(2, utc(day));
                ps.setLong(3, d.packetsIn());
                ps.setLong(4, d.packetsOut());
                ps.setLong(5, d.bytesIn());
                ps.setLong(6, d.bytesOut());
                ps.setBytes(7, d.encode(e.getKey(), day));
                ps.addBatch();
                if (++n % BATCH == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    // ---------------------------------------------------------------------------------------------

    static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** An unsigned 64-bit counter as an exact decimal. */
    static BigDecimal decimal(long unsigned) {
        BigDecimal d = BigDecimal.valueOf(unsigned);
        return unsigned < 0 ? d.add(TWO_64) : d;
    }

    /** Back from the decimal: exact for 0 .. 2^64 − 1. */
    static long u64(BigDecimal d) {
        if (d.signum() < 0 || d.compareTo(TWO_64) >= 0 || d.stripTrailingZeros().scale() > 0) {
            throw new IllegalStateException("stored counter " + d.toPlainString() + " is not an unsigned 64-bit integer");
        }
        return d.toBigInteger().longValue();
    }
}
