package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sealing a day reads that day's 5-minute rows of one host. On H2 that read must go through the
 * primary key of usage_5m, which leads with the time, bounded by both ends of the day, not walk
 * every row retention keeps (400 days by default), once a day.
 */
class SealPlanTest {

    @TempDir
    Path dir;

    @Test
    void h2ReadsOneDayOfThePrimaryKey() {
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            String plan = store.query("explain", c -> {
                try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + LedgerStore.dayRowsSql(Database.H2))) {
                    ps.setObject(1, OffsetDateTime.parse("2026-10-05T00:00:00Z"));
                    ps.setObject(2, OffsetDateTime.parse("2026-10-06T00:00:00Z"));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                    }
                }
            });
            String index = plan.substring(plan.indexOf("/*"), plan.indexOf("*/"));
            // the primary key (bucket_start, series_id), H2 names its index PRIMARY_KEY_…
            assertThat(index).contains("PRIMARY_KEY", "BUCKET_START >= ?1", "BUCKET_START < ?2");
            assertThat(plan).contains("\"PUBLIC\".\"USAGE_5M\"").doesNotContain("JOIN");
        }
    }
}
