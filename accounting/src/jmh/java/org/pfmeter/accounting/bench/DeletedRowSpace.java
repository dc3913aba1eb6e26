package org.pfmeter.accounting.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Random;

/**
 * Whether the H2 on the classpath frees the space of deleted rows that fill a page: the journal's
 * pattern (a row of {@code --bytes} inserted, the one before deleted, {@code --rows} times, each its
 * own commit, as the ledger's poll and bucket close do), in a table shaped like {@code poll_journal},
 * with the daemon's settings ({@code WRITE_DELAY=0}, {@code COMPRESS=TRUE}) and no chunk retention.
 * Live data at the end: one row. Prints the file's size and H2's count of live pages.
 *
 * <p>Measured 2026-12-03 (accounting/README.md, "Why the file grows"): with H2 2.5.252 rows of
 * 40,000 such bytes leave pages counted live that no tree reaches, so their chunks are never reused
 * or rewritten; H2 2.4.240 and 2.3.232 free them. Rows of 16,000 bytes are freed by all three. What
 * stays is not the deleted row's page but its neighbour's: each row is a leaf of its own (its page
 * is larger than half of H2's 64 KB split size), the commit that empties the old leaf puts a copy
 * of the new row's leaf in the root's place ({@code CommitDecisionMaker.decide}) and never counts
 * the saved original removed. With {@code --touch-kept true} the kept row is updated in the
 * deleting transaction, as {@code LedgerStore.closeBucket} does, and the file stays small on
 * 2.5.252 too. Compare by putting another H2 jar first:
 *
 * <pre>
 * java -cp exporter/target/pfmeter-benchmarks.jar org.pfmeter.accounting.bench.DeletedRowSpace [--bytes 40000] [--rows 300] [--touch-kept false]
 * java -cp ~/.m2/repository/com/h2database/h2/2.4.240/h2-2.4.240.jar:exporter/target/pfmeter-benchmarks.jar \
 *     org.pfmeter.accounting.bench.DeletedRowSpace
 * </pre>
 */
public final class DeletedRowSpace {

    public static void main(String[] args) throws Exception {
        int bytes = 40_000;
        int rows = 300;
        boolean touchKept = false;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--bytes" -> bytes = Integer.parseInt(args[i + 1]);
                case "--rows" -> rows = Integer.parseInt(args[i + 1]);
                case "--touch-kept" -> touchKept = Boolean.parseBoolean(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("pfmeter-deleted-rows");
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;COMPRESS=TRUE"
                + ";MAX_COMPACT_TIME=0;RETENTION_TIME=0";
        try (Connection c = DriverManager.getConnection(url, "", "")) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE journal (host VARCHAR(255) NOT NULL, polled_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                        + " entries VARBINARY NOT NULL, PRIMARY KEY (host, polled_at))");
            }
            c.setAutoCommit(false);
            Random random = new Random(15);
            OffsetDateTime t0 = OffsetDateTime.parse("2026-10-01T00:00:00Z");
            for (int i = 0; i < rows; i++) {
                // compressible as a journal row is: mostly small numbers, some noise
                byte[] value = new byte[bytes];
                for (int b = 0; b < bytes; b++) {
                    value[b] = (byte) (b % 40 == 0 ? random.nextInt() : b / 40);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO journal VALUES ('h', ?, ?)")) {
                    ps.setObject(1, t0.plusMinutes(5L * i));
                    ps.setBytes(2, value);
                    ps.executeUpdate();
                }
                c.commit();
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM journal WHERE polled_at < ?")) {
                    ps.setObject(1, t0.plusMinutes(5L * i));
                    ps.executeUpdate();
                }
                if (touchKept) {
                    // what LedgerStore.closeBucket does: the kept row's leaf is a new page at the commit
                    try (PreparedStatement ps = c.prepareStatement("UPDATE journal SET host = host WHERE polled_at >= ?")) {
                        ps.setObject(1, t0.plusMinutes(5L * i));
                        ps.executeUpdate();
                    }
                }
                c.commit();
            }
            String version;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT H2VERSION()")) {
                rs.next();
                version = rs.getString(1);
            }
            System.out.printf(Locale.ROOT, "H2 %s, %d rows of %d bytes inserted and deleted in turn%s: file %.2f MB, %s%n",
                    version, rows, bytes, touchKept ? ", the kept row updated with each delete" : "", Files.size(dir.resolve("db.mv.db")) / 1e6, pages(c));
        }
    }

    private static String pages(Connection c) throws SQLException {
        StringBuilder s = new StringBuilder();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME IN ('info.PAGE_COUNT_LIVE', 'info.PAGE_COUNT', 'info.CHUNKS_FILL_RATE') ORDER BY 1")) {
            while (rs.next()) {
                s.append(rs.getString(1).substring(5)).append(' ').append(rs.getString(2)).append(' ');
            }
        }
        return s.toString().strip();
    }
}
