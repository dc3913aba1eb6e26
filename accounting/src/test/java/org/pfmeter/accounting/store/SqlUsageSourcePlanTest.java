package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H2's plans for the report reads of {@link SqlUsageSource}: the tail by time through usage_5m's
 * primary key, sealed days by series through usage_5m_day's, never a scan of either table.
 */
class SqlUsageSourcePlanTest {

    @TempDir
    Path dir;

    private AccountingStore store;

    @BeforeEach
    void open() {
        store = AccountingStore.open(StoreConfig.h2(dir));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void h2ReadsTheTailByTimeAndSealedDaysBySeriesThroughThePrimaryKeys() {
        assertThat(plan(SqlUsageSource.tailSql(), 4)).contains("PRIMARY_KEY", "BUCKET_START >= ?1", "BUCKET_START < ?2");
        assertThat(plan(SqlUsageSource.daySql(), 3)).contains("PRIMARY_KEY", "SERIES_ID = ?1", "DAY_START >= ?2",
                "DAY_START < ?3");
    }

    /** The index H2 plans for {@code sql} and the conditions it bounds that index by. */
    private String plan(String sql, int parameters) {
        String plan = store.query("explain", c -> {
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
                OffsetDateTime from = OffsetDateTime.parse("2026-10-30T00:00:00Z");
                if (parameters == 4) {
                    ps.setObject(1, from);
                    ps.setObject(2, from.plusDays(1));
                    ps.setInt(3, 1);
                    ps.setInt(4, 10);
                } else {
                    ps.setInt(1, 1);
                    ps.setObject(2, from);
                    ps.setObject(3, from.plusDays(1));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        return plan.substring(plan.indexOf("/*"), plan.indexOf("*/"));
    }
}
