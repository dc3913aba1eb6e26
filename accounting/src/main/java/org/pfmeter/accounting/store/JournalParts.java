package org.pfmeter.accounting.store;

import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a packed {@code poll_journal} row ({@link JournalCodec}) is stored: cut into parts of at most
 * {@link #PART_BYTES}, one database row each, numbered from 0 in the column {@code part} (migration
 * V9), all written in the poll's one transaction and deleted together. Readers select
 * {@code host, polled_at, part, entries} ordered by {@code host, polled_at, part} and rejoin the
 * parts with {@link #read}; the codec, its versions and its checksum see the whole joined row.
 *
 * <p>Why parts, and why this size: parts of 16 KiB were made when H2 2.5.252 seemed to keep the
 * space of any deleted value longer than about 32 KB. The real cause was the neighbour of an emptied
 * B-tree leaf, which {@code LedgerStore.closeBucket} now handles whatever the row's size (see its
 * {@code touchJournalAfter}). Small parts then only cost: a 5,000-label poll (about 150 KB) in 16 KiB
 * parts made each bucket close delete some 300 rows instead of 30, and H2 wrote 22 MB for that
 * close instead of 1.4 MB (448 KB more per poll on average at 10 s, over issue 15's 640 KB;
 * accounting's bench/DiskWritesPerPoll, measured 2026-12-03, accounting/README.md, "What a poll
 * writes"). So a part is 256 KiB: a poll of up to about 8,000 labels is one row, as before
 * schema v9, and only larger rows are cut.
 */
public final class JournalParts {

    /** The longest part: larger than a 5,000-label poll's row, so that such a poll is one row. */
    public static final int PART_BYTES = 256 * 1024;

    private JournalParts() {
    }

    /** {@code row} cut into parts of {@link #PART_BYTES} (the last one shorter or equal); one part for an empty row. */
    public static List<byte[]> split(byte[] row) {
        List<byte[]> parts = new ArrayList<>(row.length / PART_BYTES + 1);
        for (int from = 0; from < row.length || parts.isEmpty(); from += PART_BYTES) {
            parts.add(Arrays.copyOfRange(row, from, Math.min(row.length, from + PART_BYTES)));
        }
        return parts;
    }

    /** Inserts {@code row} of {@code host} polled at {@code polledAt} as its parts. */
    static void insert(Connection c, String host, OffsetDateTime polledAt, byte[] row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO poll_journal (host, polled_at, part, entries) VALUES (?, ?, ?, ?)")) {
            List<byte[]> parts = split(row);
            for (int i = 0; i < parts.size(); i++) {
                ps.setString(1, host);
                ps.setObject(2, polledAt);
                ps.setInt(3, i);
                ps.setBytes(4, parts.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * One poll's journal row as stored: its parts in the order read.
     *
     * @param numbers each part's number, as stored
     */
    public record Row(String host, OffsetDateTime polledAt, List<Integer> numbers, List<byte[]> parts) {

        /** The row's name in messages: "poll_journal fw1 2026-10-01T00:00:10Z". */
        public String name() {
            return "poll_journal " + host + " " + polledAt.toInstant();
        }

        /**
         * The parts joined. A missing part in the middle, or parts not numbered from 0, is damage; a
         * missing last part leaves a row whose checksum (versions 3 and 4) does not match.
         *
         * @throws DamagedRowException when the parts are not 0, 1, … with every part but the last full
         */
        public byte[] joined() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(parts.size() * PART_BYTES);
            for (int i = 0; i < parts.size(); i++) {
                if (numbers.get(i) != i) {
                    throw new DamagedRowException(name() + ": part " + i + " is missing (parts " + numbers + ")");
                }
                byte[] p = parts.get(i);
                if (i < parts.size() - 1 && p.length != PART_BYTES) {
                    throw new DamagedRowException(name() + ": part " + i + " has " + p.length + " bytes, not "
                            + PART_BYTES + " as every part but the last");
                }
                out.write(p, 0, p.length);
            }
            return out.toByteArray();
        }
    }

    /**
     * The rows of a query selecting {@code host, polled_at, part, entries} ordered by
     * {@code host, polled_at, part}, each poll's parts together. Joining is left to {@link Row#joined}
     * so that a reader may report a damaged row and go on.
     */
    static List<Row> read(ResultSet rs) throws SQLException {
        List<Row> rows = new ArrayList<>();
        Row current = null;
        while (rs.next()) {
            String host = rs.getString(1);
            OffsetDateTime at = rs.getObject(2, OffsetDateTime.class);
            if (current == null || !current.host().equals(host) || !current.polledAt().toInstant().equals(at.toInstant())) {
                current = new Row(host, at, new ArrayList<>(), new ArrayList<>());
                rows.add(current);
            }
            current.numbers().add(rs.getInt(3));
            current.parts().add(rs.getBytes(4));
        }
        return rows;
    }
}
