package org.pfmeter.accounting.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.pfmeter.accounting.billing.SlotRows;

/**
 * What {@code pfmeter verify} does: checks every packed row of the database and every sealed day
 * against the 5-minute rows it was made from, and with {@code repair} rewrites what it can.
 *
 * <ul>
 *   <li>{@code usage_5m_day}: each row's checksum (a row written before checksums: that its slots
 *       add up to its sums), then its slots and sums against the day's {@code usage_5m} rows of the
 *       series where they still exist; a sealed day (before {@code pf_host.sealed_until}) whose
 *       5-minute rows have no sealed row is missing. Repair rewrites a damaged, differing or missing
 *       day from the 5-minute rows, and a row written before checksums with a checksum (from its
 *       5-minute rows, or as it is when they are gone and its sums agree). A damaged day without
 *       5-minute rows is unrecoverable: nothing else holds it.</li>
 *   <li>{@code poll_journal}: each poll's row (its parts joined, {@link JournalParts}): its checksum
 *       and that no part is missing. Repair deletes a damaged row, all its parts: the ledger goes on
 *       from the rows before it, losing at most what its polls booked.</li>
 * </ul>
 * Read-only unless {@code repair}; each repaired day is one transaction, which re-reads the
 * 5-minute rows it writes from.
 */
public final class Verification {

    /** What a finding says of a row. */
    public enum Kind {
        /** The row is not what was written; repair can rewrite it from its source. */
        DAMAGED("damaged"),
        /** The row is not what was written and nothing else holds its data. */
        UNRECOVERABLE("unrecoverable"),
        /** A sealed day whose checksum matches but whose slots or sums are not its 5-minute rows'. */
        DIFFERS("differs from its 5-minute rows"),
        /** A sealed day's 5-minute rows of a series with no sealed row. */
        MISSING("missing"),
        /** A finding that repair put right. */
        REPAIRED("repaired");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** One row that is not right: {@code row} names it ("usage_5m_day fw1 customers/acme:acme-web 2026-10-05"). */
    public record Finding(Kind kind, String row, String detail) {
        public Finding {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(row, "row");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String toString() {
            return row + ": " + kind.word() + ": " + detail;
        }
    }

    /**
     * What a run found.
     *
     * @param sealedRows          usage_5m_day rows read
     * @param uncheckedSealedRows of those, rows written before checksums (left as they are unless repaired)
     * @param withoutSource       sealed rows whose 5-minute rows are gone (retention): checked by checksum only
     * @param journalRows         poll_journal rows read (one per poll, its parts joined)
     * @param uncheckedJournalRows of those, rows written before checksums
     */
    public record Result(List<Finding> findings, int sealedRows, int uncheckedSealedRows, int withoutSource, int journalRows,
                         int uncheckedJournalRows) {
        public Result {
            findings = List.copyOf(findings);
        }

        /** Nothing damaged, different or missing is left. */
        public boolean clean() {
            return findings.stream().allMatch(f -> f.kind() == Kind.REPAIRED);
        }

        public long count(Kind kind) {
            return findings.stream().filter(f -> f.kind() == kind).count();
        }
    }

    /** How a sealed day is rewritten. */
    private enum Rewrite { FROM_SOURCE, AS_IS }

    private record Fix(int finding, int seriesId, Instant day, Rewrite how, byte[] asIs) {
    }

    private record JournalFix(int finding, String host, OffsetDateTime polledAt) {
    }

    private final AccountingStore store;
    private final List<Finding> findings = new ArrayList<>();
    private final List<Fix> fixes = new ArrayList<>();
    private final List<JournalFix> journalFixes = new ArrayList<>();
    private int sealedRows;
    private int uncheckedSealed;
    private int withoutSource;
    private int journalRows;
    private int uncheckedJournal;

    private Verification(AccountingStore store) {
        this.store = store;
    }

    /**
     * Checks the database of {@code store}; with {@code repair} (a store opened for writing) rewrites
     * what can be rewritten.
     *
     * @throws StoreException when the database cannot be read or written
     */
    public static Result run(AccountingStore store, boolean repair) {
        Verification v = new Verification(Objects.requireNonNull(store, "store"));
        store.query("verify the accounting database", c -> {
            v.checkSealedDays(c);
            v.checkJournal(c);
            return null;
        });
        if (repair) {
            v.repair();
        }
        return new Result(v.findings, v.sealedRows, v.uncheckedSealed, v.withoutSource, v.journalRows, v.uncheckedJournal);
    }

    // ---------------------------------------------------------------------------------------------
    // checking

    private record Host(String name, Instant firstPolledAt, Instant sealedUntil) {
    }

    private void checkSealedDays(Connection c) throws SQLException {
        List<Host> hosts = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT host, first_polled_at, sealed_until FROM pf_host ORDER BY host");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                OffsetDateTime sealed = rs.getObject(3, OffsetDateTime.class);
                hosts.add(new Host(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                        sealed == null ? null : sealed.toInstant()));
            }
        }
        for (Host h : hosts) {
            Map<Integer, SeriesKey> keyOf = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT series_id, kind, anchor, table_name, label FROM series WHERE host = ?")) {
                ps.setString(1, h.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keyOf.put(rs.getInt(1), new SeriesKey(SeriesKind.ofSql(rs.getString(2)), rs.getString(3),
                                rs.getString(4), rs.getString(5)));
                    }
                }
            }
            TreeSet<Instant> days = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT d.day_start FROM usage_5m_day d"
                    + " JOIN series s ON s.series_id = d.series_id WHERE s.host = ?")) {
                ps.setString(1, h.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        days.add(rs.getObject(1, OffsetDateTime.class).toInstant());
                    }
                }
            }
            if (h.sealedUntil() != null) {
                for (Instant d = LedgerStore.firstDayToSeal(h.firstPolledAt()); d.isBefore(h.sealedUntil()); d = d.plus(DaySlots.DAY)) {
                    days.add(d);
                }
            }
            for (Instant day : days) {
                checkDay(c, h, keyOf, day);
            }
        }
    }

    private void checkDay(Connection c, Host h, Map<Integer, SeriesKey> keyOf, Instant day) throws SQLException {
        TreeMap<Integer, DaySlots> source = sourceOf(c, h.name(), keyOf.keySet(), day);
        SlotRows stored = new SlotRows(DaySlots.SLOTS_PER_DAY);
        SlotRows expected = new SlotRows(DaySlots.SLOTS_PER_DAY);
        try (PreparedStatement ps = c.prepareStatement("SELECT d.series_id, d.packets_in, d.packets_out, d.bytes_in, d.bytes_out,"
                + " d.slots FROM usage_5m_day d JOIN series s ON s.series_id = d.series_id WHERE s.host = ? AND d.day_start = ?"
                + " ORDER BY d.series_id")) {
            ps.setString(1, h.name());
            ps.setObject(2, LedgerStore.utc(day));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sealedRows++;
                    int id = rs.getInt(1);
                    String name = "usage_5m_day " + name(h.name(), keyOf.get(id), day);
                    DaySlots.Row row = new DaySlots.Row(id, day.getEpochSecond(), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5));
                    byte[] packed = rs.getBytes(6);
                    DaySlots src = source.remove(id);
                    boolean checked;
                    try {
                        checked = DaySlots.decode(packed, row, name.substring("usage_5m_day ".length()), stored);
                    } catch (DamagedRowException e) {
                        if (src != null) {
                            fix(new Finding(Kind.DAMAGED, name, detail(e, name) + "; --repair rewrites it from its 5-minute rows"),
                                    id, day, Rewrite.FROM_SOURCE, null);
                        } else {
                            findings.add(new Finding(Kind.UNRECOVERABLE, name, detail(e, name) + "; its 5-minute rows are gone,"
                                    + " so nothing else holds the day: restore the database from a backup taken before the damage"));
                        }
                        continue;
                    }
                    if (!checked) {
                        uncheckedSealed++;
                    }
                    if (src != null) {
                        DaySlots.decode(src.encode(), name, day.getEpochSecond(), expected);
                        String diff = difference(stored, row, expected, src);
                        if (diff != null) {
                            fix(new Finding(Kind.DIFFERS, name, diff + "; --repair rewrites it from its 5-minute rows"), id, day,
                                    Rewrite.FROM_SOURCE, null);
                        } else if (!checked) {
                            fixes.add(new Fix(-1, id, day, Rewrite.FROM_SOURCE, null));
                        }
                    } else {
                        withoutSource++;
                        if (!checked) {
                            fixes.add(new Fix(-1, id, day, Rewrite.AS_IS, packed));
                        }
                    }
                }
            }
        }
        if (h.sealedUntil() != null && day.isBefore(h.sealedUntil())) {
            for (Integer id : source.keySet()) {
                String name = "usage_5m_day " + name(h.name(), keyOf.get(id), day);
                fix(new Finding(Kind.MISSING, name, "the day is sealed and the series has 5-minute rows in it, but no sealed row;"
                        + " --repair writes it from them"), id, day, Rewrite.FROM_SOURCE, null);
            }
        }
    }

    private void fix(Finding f, int id, Instant day, Rewrite how, byte[] asIs) {
        findings.add(f);
        fixes.add(new Fix(findings.size() - 1, id, day, how, asIs));
    }

    /** A damaged row's message without the row's name, which the finding carries. */
    private static String detail(RuntimeException e, String name) {
        String m = e.getMessage();
        return m.startsWith(name + ": ") ? m.substring(name.length() + 2) : m;
    }

    /** What differs between a stored day and its 5-minute rows, or null. */
    private static String difference(SlotRows stored, DaySlots.Row row, SlotRows expected, DaySlots src) {
        if (row.packetsIn() != src.packetsIn() || row.packetsOut() != src.packetsOut() || row.bytesIn() != src.bytesIn()
                || row.bytesOut() != src.bytesOut()) {
            return "its sums are " + row.packetsIn() + "/" + row.packetsOut() + " packets, " + row.bytesIn() + "/" + row.bytesOut()
                    + " bytes in/out, its 5-minute rows add up to " + src.packetsIn() + "/" + src.packetsOut() + " packets, "
                    + src.bytesIn() + "/" + src.bytesOut() + " bytes";
        }
        if (stored.size() != expected.size()) {
            return "it has " + stored.size() + " slots, its 5-minute rows " + expected.size();
        }
        for (int j = 0; j < stored.size(); j++) {
            if (stored.slots()[j] != expected.slots()[j] || stored.packetsIn()[j] != expected.packetsIn()[j]
                    || stored.packetsOut()[j] != expected.packetsOut()[j] || stored.bytesIn()[j] != expected.bytesIn()[j]
                    || stored.bytesOut()[j] != expected.bytesOut()[j]) {
                Instant at = Instant.ofEpochSecond(SlotGrid.start(stored.base(), Math.min(stored.slots()[j], expected.slots()[j])));
                return "its slot at " + at + " differs from the 5-minute row";
            }
        }
        return null;
    }

    private static String name(String host, SeriesKey key, Instant day) {
        return host + " " + (key == null ? "(unknown series)" : key.toString()) + " " + day.toString().substring(0, 10);
    }

    /** Per series of {@code mine}, the 5-minute rows of {@code day}, packed as the ledger seals them. */
    private static TreeMap<Integer, DaySlots> sourceOf(Connection c, String host, Set<Integer> mine, Instant day) throws SQLException {
        Database db = Database.of(c);
        TreeMap<Integer, DaySlots> series = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(LedgerStore.dayRowsSql(db))) {
            ps.setFetchSize(10_000);
            ps.setObject(1, LedgerStore.utc(day));
            ps.setObject(2, LedgerStore.utc(day.plus(DaySlots.DAY)));
            if (db != Database.H2) {
                ps.setString(3, host);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (mine.contains(rs.getInt(1))) {
                        series.computeIfAbsent(rs.getInt(1), k -> new DaySlots()).add(day,
                                rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                                rs.getLong(6));
                    }
                }
            }
        }
        return series;
    }

    private void checkJournal(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT host, polled_at, part, entries FROM poll_journal ORDER BY host, polled_at, part");
             ResultSet rs = ps.executeQuery()) {
            for (JournalParts.Row r : JournalParts.read(rs)) {
                journalRows++;
                String host = r.host();
                OffsetDateTime at = r.polledAt();
                String name = r.name();
                try {
                    byte[] bytes = r.joined();
                    JournalCodec.decode(bytes, host, name);
                    if (!JournalCodec.checked(bytes)) {
                        uncheckedJournal++;
                    }
                } catch (DamagedRowException e) {
                    findings.add(new Finding(Kind.DAMAGED, name, detail(e, name) + "; nothing else holds what its polls booked"
                            + " in their open bucket: --repair deletes the row (losing at most that)"));
                    journalFixes.add(new JournalFix(findings.size() - 1, host, at));
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // repairing

    private void repair() {
        TreeMap<Instant, List<Fix>> byDay = new TreeMap<>();
        for (Fix f : fixes) {
            byDay.computeIfAbsent(f.day(), d -> new ArrayList<>()).add(f);
        }
        for (Map.Entry<Instant, List<Fix>> e : byDay.entrySet()) {
            Instant day = e.getKey();
            Set<Integer> done = store.inTransaction("rewrite the sealed day " + day + " from its 5-minute rows", c -> {
                Set<Integer> ok = new HashSet<>();
                for (Fix f : e.getValue()) {
                    DaySlots d = f.how() == Rewrite.AS_IS ? asIs(f.asIs(), day) : fromSource(c, f.seriesId(), day);
                    if (d == null) {
                        continue;       // the 5-minute rows went meanwhile: left as it is
                    }
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM usage_5m_day WHERE series_id = ? AND day_start = ?")) {
                        ps.setInt(1, f.seriesId());
                        ps.setObject(2, LedgerStore.utc(day));
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_5m_day (series_id, day_start, packets_in,"
                            + " packets_out, bytes_in, bytes_out, slots) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                        ps.setInt(1, f.seriesId());
                        ps.setObject(2, LedgerStore.utc(day));
                        ps.setLong(3, d.packetsIn());
                        ps.setLong(4, d.packetsOut());
                        ps.setLong(5, d.bytesIn());
                        ps.setLong(6, d.bytesOut());
                        ps.setBytes(7, d.encode(f.seriesId(), day));
                        ps.executeUpdate();
                    }
                    ok.add(f.seriesId());
                }
                return ok;
            });
            for (Fix f : e.getValue()) {
                if (f.finding() >= 0 && done.contains(f.seriesId())) {
                    repaired(f.finding(), f.how() == Rewrite.AS_IS ? "given a checksum" : "rewritten from its 5-minute rows");
                }
            }
        }
        for (JournalFix f : journalFixes) {
            store.inTransaction("delete a damaged journal row of " + f.host(), c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM poll_journal WHERE host = ? AND polled_at = ?")) {
                    ps.setString(1, f.host());
                    ps.setObject(2, f.polledAt());
                    ps.executeUpdate();
                }
                return null;
            });
            repaired(f.finding(), "deleted");
        }
    }

    private void repaired(int i, String how) {
        Finding f = findings.get(i);
        findings.set(i, new Finding(Kind.REPAIRED, f.row(), "was " + f.kind().word() + ", " + how));
    }

    private static DaySlots fromSource(Connection c, int id, Instant day) throws SQLException {
        DaySlots d = new DaySlots();
        boolean any = false;
        try (PreparedStatement ps = c.prepareStatement(SqlUsageSource.sourceSql())) {
            ps.setObject(1, LedgerStore.utc(day));
            ps.setObject(2, LedgerStore.utc(day.plus(DaySlots.DAY)));
            ps.setInt(3, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    d.add(day, rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5));
                    any = true;
                }
            }
        }
        return any ? d : null;
    }

    /** A row written before checksums, whose slots agree with its sums, as it is. */
    private static DaySlots asIs(byte[] packed, Instant day) {
        DaySlots d = new DaySlots();
        DaySlots.decode(packed, "", (i, pin, pout, bin, bout) ->
                d.add(day, Instant.ofEpochSecond(SlotGrid.start(day.getEpochSecond(), i)), pin, pout, bin, bout));
        return d;
    }
}
