package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pfmeter.accounting.testing.Snapshots.bytes;
import static org.pfmeter.accounting.testing.Snapshots.snapshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;

class StoreTest {

    @TempDir
    Path dir;

    @Test
    void openingCreatesTheDataDirectoryAndMigratesFromTheMigrationsInTheJar() throws SQLException {
        Path data = dir.resolve("var/db/pfmeter");
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(data))) {
            assertThat(store.database()).isEqualTo(Database.H2);
            assertThat(store.schemaVersion()).isEqualTo("10");
            assertThat(store.describe()).contains(data.resolve("pfmeter.mv.db").toString());
        }
        assertThat(Files.exists(data.resolve("pfmeter.mv.db"))).isTrue();
        assertThat(getClass().getResource("/db/migration/V1__accounting.sql")).isNotNull();
        // opening again is a no-op for Flyway
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(data));
             Connection c = DriverManager.getConnection(StoreConfig.h2(data).url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" AND \"version\" = '1'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(store.hosts()).isEmpty();
        }
    }

    @Test
    void aDataDirectoryThatIsAFileIsAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> AccountingStore.open(StoreConfig.h2(file)))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("accounting.data-dir");
    }

    @Test
    void anUnreachableServerIsAClearErrorNamingTheUrlWithoutThePassword() {
        StoreConfig pg = StoreConfig.jdbc("jdbc:postgresql://127.0.0.1:1/pfmeter?password=secret", "pfmeter", "secret");
        assertThatThrownBy(() -> AccountingStore.open(pg))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StoreException.Kind.UNREACHABLE);
                    assertThat(e.target()).isEqualTo("jdbc:postgresql://127.0.0.1:1/pfmeter?password=***");
                })
                .hasMessageContaining("cannot open the accounting database (jdbc:postgresql://127.0.0.1:1/pfmeter?password=***)")
                .hasMessageContaining("check that the database server runs")
                .message().doesNotContain("secret");
        assertThat(pg.toString()).doesNotContain("secret");
    }

    @Test
    void badConfigIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> StoreConfig.jdbc("postgresql://db/pfmeter", "", ""))
                .hasMessageContaining("accounting.jdbc-url: 'postgresql://db/pfmeter' is not a JDBC URL");
        assertThatThrownBy(() -> RetentionPolicy.defaults().with(UsageLevel.FIVE_MINUTES, "a year"))
                .hasMessageContaining("accounting.retention.5m: 'a year' is not a retention");
    }

    @Test
    void errorsAreClassifiedByWhatToDo() {
        assertThat(StoreErrors.kindOf(new SQLException("could not extend file: No space left on device", "53100")))
                .isEqualTo(StoreException.Kind.FULL);
        assertThat(StoreErrors.kindOf(new SQLException("x", "90020", 90020))).isEqualTo(StoreException.Kind.LOCKED);
        assertThat(StoreErrors.kindOf(new SQLException("password authentication failed", "28P01")))
                .isEqualTo(StoreException.Kind.AUTHENTICATION);
        assertThat(StoreErrors.kindOf(new SQLException("IO Exception", "90028", 90028,
                new java.io.IOException("No space left on device")))).isEqualTo(StoreException.Kind.FULL);
        assertThat(StoreErrors.kindOf(new SQLException("cannot execute INSERT in a read-only transaction", "25006")))
                .isEqualTo(StoreException.Kind.READ_ONLY);
    }

    @Test
    void bucketsAreAlignedToUtcAndAPollOnABoundaryClosesTheEarlierBucket() {
        assertThat(SlotGrid.slotOf(Instant.parse("2026-10-01T10:05:00Z"))).isEqualTo(Instant.parse("2026-10-01T10:00:00Z"));
        assertThat(SlotGrid.slotOf(Instant.parse("2026-10-01T10:05:00.000000001Z"))).isEqualTo(Instant.parse("2026-10-01T10:05:00Z"));
        assertThat(SlotGrid.slotOf(Instant.parse("2026-10-01T10:07:31Z"))).isEqualTo(Instant.parse("2026-10-01T10:05:00Z"));
    }

    @Test
    void retentionDeletesFiveMinuteRowsSealedDaysAndPollSlotsAfterTheirDuration() throws SQLException {
        Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(t0, ZoneOffset.UTC));
            for (int day = 0; day <= 10; day++) {
                ledger.record("fw1", snapshot(t0.plus(Duration.ofDays(day)), "s", 1, bytes("web", 1000L * day, 0)));
            }
            Instant now = t0.plus(Duration.ofDays(10));
            RetentionPolicy policy = RetentionPolicy.defaults().with(UsageLevel.FIVE_MINUTES, "3d");
            Map<UsageLevel, Integer> deleted = new Retention(store, policy, Clock.fixed(now, ZoneOffset.UTC)).run();
            // the poll of day N is booked in the bucket ending at day N: 5-minute buckets of days 1..6 are gone
            assertThat(deleted).containsExactly(Map.entry(UsageLevel.FIVE_MINUTES, 6));
            assertThat(new Retention(store, policy, Clock.fixed(now, ZoneOffset.UTC)).run())
                    .containsEntry(UsageLevel.FIVE_MINUTES, 0);
            assertThat(store.labels(Optional.of("fw1"))).hasSize(1);
        }
        try (Connection c = DriverManager.getConnection(StoreConfig.h2(dir).url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM usage_5m), (SELECT COUNT(*) FROM poll_journal),"
                     + " (SELECT COUNT(*) FROM usage_5m_day), (SELECT MIN(day_start) FROM usage_5m_day),"
                     + " (SELECT COUNT(*) FROM host_poll_slot)")) {
            rs.next();
            // the buckets of the polls of days 7, 8 and 9; the poll of day 10 is in the journal (its
            // bucket is open), which retention leaves alone
            assertThat(rs.getInt(1)).isEqualTo(3);
            assertThat(rs.getInt(2)).isEqualTo(1);
            // the ledger sealed days 0..8 (each holds the 23:55 bucket of the next day's poll); a
            // sealed day goes once all of it is older than the 5-minute retention: 0..5 are gone
            assertThat(rs.getInt(3)).isEqualTo(3);
            assertThat(rs.getObject(4, java.time.OffsetDateTime.class).toInstant()).isEqualTo(t0.plus(Duration.ofDays(6)));
            // the poll slots (migration V4) go with the 5-minute buckets: those of the polls of days 7..10 stay
            assertThat(rs.getInt(5)).isEqualTo(4);
        }
    }
}
