package org.pfmeter.accounting.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.pfmeter.accounting.store.BucketRows;
import org.pfmeter.accounting.store.SlotUsage;

/**
 * What a database holds per label and 5-minute bucket, closed ({@code usage_5m}) and still open (the
 * journal): the ledger's output as tests check it.
 */
public final class StoredBuckets {

    private static final Instant EVER = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant NEVER = Instant.parse("9999-01-01T00:00:00Z");

    private StoredBuckets() {
    }

    /** The JDBC URL of the embedded H2 file in {@code dir}. */
    public static String url(java.nio.file.Path dir) {
        return org.pfmeter.accounting.store.StoreConfig.h2(dir).url();
    }

    /** Every bucket of every host, through a connection of its own to {@code url}. */
    public static List<BucketRows.Row> all(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            return BucketRows.read(c, Optional.empty(), EVER, NEVER);
        }
    }

    /** The sum of one column ("bytes_in", "packets_out", "resets", …) over every bucket of {@code label}. */
    public static long sum(String url, String column, String label) throws SQLException {
        long sum = 0;
        for (BucketRows.Row r : all(url)) {
            if (r.key().label().equals(label)) {
                sum += value(r.usage(), column);
            }
        }
        return sum;
    }

    public static long value(SlotUsage u, String column) {
        return switch (column) {
            case "packets_in" -> u.packetsIn();
            case "packets_out" -> u.packetsOut();
            case "bytes_in" -> u.bytesIn();
            case "bytes_out" -> u.bytesOut();
            case "evaluations" -> u.evaluations();
            case "states_created" -> u.statesCreated();
            case "states_max" -> u.statesMax();
            case "polls" -> u.polls();
            case "resets" -> u.resets();
            default -> throw new IllegalArgumentException("no column " + column);
        };
    }
}
