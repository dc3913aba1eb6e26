package org.pfmeter.accounting.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.accounting.store.UsageLevel;

/**
 * The ledger's per-label bucket UPDATE must find its row through the whole key. With the old
 * one-column bucket_start index H2 planned it as "every row of this bucket, filtered", which made
 * one poll of 5,000 labels take about 14 s (LedgerBenchmark); V2 widened the index.
 */
class BucketUpdatePlanTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(UsageLevel.class)
    void theBucketUpdateIsAUniqueLookupOnH2(UsageLevel level) {
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            String plan = store.inTransaction("explain", c -> {
                OffsetDateTime bucket = OffsetDateTime.parse("2026-10-01T00:00:00Z");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + level.table() + " (host, anchor, label,"
                        + " bucket_start, packets_in, packets_out, bytes_in, bytes_out, evaluations, states_created,"
                        + " states_max, polls, resets) VALUES ('fw1', 'customers', ?, ?, 1, 1, 1, 1, 1, 0, 0, 1, 0)")) {
                    for (int i = 0; i < 500; i++) {
                        ps.setString(1, "label-" + i);
                        ps.setObject(2, bucket);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + LedgerWriter.bucketUpdate(level.table()))) {
                    for (int i = 1; i <= 8; i++) {
                        ps.setLong(i, 1);
                    }
                    ps.setString(9, "fw1");
                    ps.setString(10, "customers");
                    ps.setString(11, "label-7");
                    ps.setObject(12, bucket);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                    }
                }
            });
            // The index comment lists the columns the lookup is bounded by: all four of the key.
            String index = plan.substring(plan.indexOf("/*"), plan.indexOf("*/"));
            assertThat(index).contains("HOST = ?", "ANCHOR = ?", "LABEL = ?", "BUCKET_START = ?");
        }
    }
}
