package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.accounting.testing.Snapshots.bytes;
import static org.pfmeter.accounting.testing.Snapshots.snapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;

/**
 * The documented queries of {@code sql/queries.sql} run on the current schema: a migration that
 * renames or drops what they read must update them.
 */
class QueriesSqlTest {

    @TempDir
    Path dir;

    @Test
    void everyDocumentedQueryRunsOnTheCurrentSchema() throws Exception {
        String text = Files.readString(Path.of("..", "sql", "queries.sql"));
        List<String> queries = new ArrayList<>();
        StringBuilder q = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.startsWith("--")) {
                q.append(line).append('\n');
            }
        }
        for (String s : q.toString().split(";")) {
            if (!s.isBlank()) {
                queries.add(s.strip());
            }
        }
        assertThat(queries).hasSizeGreaterThanOrEqualTo(7);
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
            Instant t = Instant.parse("2026-10-01T00:00:10Z");
            for (int i = 0; i < 3; i++) {
                ledger.record("fw1", snapshot(t.plusSeconds(300L * i), "x", 1, bytes("web", 1_000L * i, 10L * i)));
            }
            List<Integer> rows = new ArrayList<>();
            for (String sql : queries) {
                rows.add(store.query("run a documented query", c -> {
                    try (ResultSet rs = c.createStatement().executeQuery(sql)) {
                        int n = 0;
                        while (rs.next()) {
                            n++;
                        }
                        return n;
                    }
                }));
            }
            // the busiest labels of October: web, from its closed buckets
            assertThat(rows.get(1)).isEqualTo(1);
        }
    }
}
