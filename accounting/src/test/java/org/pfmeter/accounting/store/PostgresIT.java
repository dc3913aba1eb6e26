package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pfmeter.accounting.testing.Snapshots.bytes;
import static org.pfmeter.accounting.testing.Snapshots.label;
import static org.pfmeter.accounting.testing.Snapshots.snapshot;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pfmeter.accounting.billing.BillingCycle;
import org.pfmeter.accounting.billing.BillingReport;
import org.pfmeter.accounting.billing.BillingReports;
import org.pfmeter.accounting.billing.CustomerMapping;
import org.pfmeter.accounting.billing.ReportQuery;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.ledger.RecordResult;
import org.pfmeter.accounting.ledger.Reset;
import org.pfmeter.accounting.simulate.MonthSimulation;
import org.pfmeter.accounting.simulate.MonthSimulationTest;
import org.pfmeter.accounting.testing.PostgresDatabase;

/** The same migrations, ledger, simulation and reports on a real PostgreSQL, and a fleet sharing it. */
class PostgresIT {

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");

    private PostgresDatabase pg;

    @BeforeEach
    void schema() {
        pg = PostgresDatabase.create();
    }

    @AfterEach
    void drop() throws SQLException {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void theMigrationsRunUnchangedOnPostgresql() throws SQLException {
        try (AccountingStore store = AccountingStore.open(pg.config())) {
            assertThat(store.database()).isEqualTo(Database.POSTGRESQL);
            assertThat(store.schemaVersion()).isEqualTo("10");
        }
        try (AccountingStore again = AccountingStore.open(pg.config())) {
            assertThat(again.hosts()).isEmpty();
        }
    }

    @Test
    void billingReadsPostgresqlWithoutCreatingOrMigratingTheSchema() throws SQLException {
        assertThatThrownBy(() -> AccountingStore.openForReading(pg.config()))
                .isInstanceOf(DatabaseNotReadyException.class).hasMessageContaining("holds no pfmeter tables");
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()")) {
            rs.next();
            assertThat(rs.getInt(1)).as("no table created").isZero();
        }
        try (AccountingStore store = AccountingStore.open(pg.config())) {
            new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC))
                    .record("fw1", snapshot(T0, "s", 1, bytes("web", 1000L, 0)));
        }
        try (AccountingStore store = AccountingStore.openForReading(pg.config())) {
            assertThat(store.readOnly()).isTrue();
            assertThat(store.database()).isEqualTo(Database.POSTGRESQL);
            assertThat(store.hosts()).containsExactly("fw1");
        }
    }

    @Test
    void simulatedDaysWithEveryFaultOnPostgresqlEqualTheGroundTruth() {
        // a week: a reload, a crash, a zeroing and a pf restart (the 35-day run is the H2 test's)
        MonthSimulation.Plan plan = MonthSimulation.defaultPlan(7).withPollInterval(Duration.ofMinutes(5));
        MonthSimulation.Result r = MonthSimulation.run(pg.config(), plan);
        MonthSimulationTest.verify(pg.config(), r);
    }

    @Test
    void unsignedCountersRoundTripAbove2To63() throws SQLException {
        try (AccountingStore store = AccountingStore.open(pg.config())) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
            ledger.record("fw1", snapshot(T0, "s", 1, label("", "big", -1_000_000_000L, Long.MIN_VALUE, -5, Long.MAX_VALUE)));
            RecordResult r = ledger.record("fw1", snapshot(T0.plusSeconds(60), "s", 1,
                    label("", "big", 500_000_000L, Long.MIN_VALUE + 9, 10, Long.MIN_VALUE)));
            assertThat(r.deltas().get(0).reset()).isEqualTo(Reset.NONE);
            assertThat(r.deltas().get(0).packetsIn()).isEqualTo(1_500_000_000L);
            assertThat(r.deltas().get(0).bytesIn()).isEqualTo(15);
            assertThat(r.deltas().get(0).bytesOut()).isEqualTo(1);
            // a poll in the next bucket closes the first: the raw counters go from the journal to label_counters
            ledger.record("fw1", snapshot(T0.plusSeconds(400), "s", 1,
                    label("", "big", 500_000_000L, Long.MIN_VALUE + 9, 10, Long.MIN_VALUE)));
        }
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT packets_out, bytes_out FROM label_counters")) {
            rs.next();
            assertThat(rs.getBigDecimal(1)).isEqualTo(new BigDecimal("9223372036854775817"));
            assertThat(rs.getBigDecimal(2)).isEqualTo(new BigDecimal("9223372036854775808"));
        }
    }

    @Test
    void aFleetOfFirewallsWritesConcurrentlyIntoOneDatabase() throws Exception {
        int hosts = 4;
        int polls = 200;
        ExecutorService pool = Executors.newFixedThreadPool(hosts);
        List<Future<?>> done = new ArrayList<>();
        for (int h = 0; h < hosts; h++) {
            String host = "fw" + h;
            long step = 1000L * (h + 1);
            done.add(pool.submit(() -> {
                // each firewall runs its own pfmeter: its own store, its own ledger
                try (AccountingStore store = AccountingStore.open(pg.config())) {
                    Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(T0, ZoneOffset.UTC));
                    for (int i = 0; i <= polls; i++) {
                        RecordResult r = ledger.record(host, snapshot(T0.plusSeconds(60L * i), "sum-" + host, 7,
                                bytes("web", step * i, step * i / 2), bytes("shared", 10L * i, 0)));
                        assertThat(r.outcome()).isEqualTo(RecordResult.Outcome.WRITTEN);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        try (AccountingStore store = AccountingStore.open(pg.config())) {
            assertThat(store.hosts()).containsExactly("fw0", "fw1", "fw2", "fw3");
            BillingCycle cycle = BillingCycle.calendarMonthsUtc();
            BillingReports reports = new BillingReports(store, cycle, CustomerMapping.parse("ACME = web\n", "t"),
                    Clock.fixed(T0.plus(Duration.ofDays(2)), ZoneOffset.UTC));
            BillingReport all = reports.report(ReportQuery.of(cycle.period("2026-10")));
            BillingReport.LabelLine web = all.labels().stream().filter(l -> l.name().equals("web")).findFirst().orElseThrow();
            assertThat(web.hosts()).containsExactly("fw0", "fw1", "fw2", "fw3");
            assertThat(web.usage().bytesIn()).isEqualTo((1000L + 2000 + 3000 + 4000) * polls);
            assertThat(all.customers().get(0).usage().bytesIn()).isEqualTo(web.usage().bytesIn());
            BillingReport one = reports.report(ReportQuery.of(cycle.period("2026-10")).withHost("fw2"));
            assertThat(one.labels().stream().filter(l -> l.name().equals("web")).findFirst().orElseThrow().usage().bytesIn())
                    .isEqualTo(3000L * polls);
            assertThat(one.labels().stream().filter(l -> l.name().equals("shared")).findFirst().orElseThrow().usage().bytesIn())
                    .isEqualTo(10L * polls);
        }
    }
}
