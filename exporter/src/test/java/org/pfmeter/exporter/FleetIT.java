package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.billing.BillingCycle;
import org.pfmeter.accounting.billing.BillingPeriod;
import org.pfmeter.accounting.billing.BillingReport;
import org.pfmeter.accounting.billing.BillingReports;
import org.pfmeter.accounting.billing.CustomerMapping;
import org.pfmeter.accounting.billing.ReportQuery;
import org.pfmeter.accounting.billing.Usage;
import org.pfmeter.accounting.ledger.LedgerStats;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.sim.GroundTruth;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;

/**
 * A fleet: two pfmeter daemons, each with its own simulated firewall (different seeds, so different
 * traffic on the same label names), account into ONE real PostgreSQL at the same time, each under its
 * own {@code accounting.host}. The monthly billing report of each host equals that host's simulator
 * ground truth per label, the report over all hosts is their sum, and no poll or row is lost or mixed
 * up between the hosts.
 *
 * <p>The daemons run in this JVM, not as two {@code pfmeter run} processes: a daemon process's
 * simulated pf follows the wall clock and polls on a wall-clock schedule, and its ground truth stays
 * inside that process, so two processes could neither cover a simulated day in seconds nor be
 * checked to the byte. Everything a fleet member owns is separate here as well: simulator, clock,
 * poller, ledger, database connections, Jetty on its own port, MBean server and data directory; the
 * only thing shared is the PostgreSQL database. Every poll round starts both daemons' polls together
 * (a barrier), so their transactions overlap.
 *
 * <p>Needs {@code PFMETER_TEST_PG_URL}, {@code PFMETER_TEST_PG_USER} and {@code PFMETER_TEST_PG_PASSWORD}
 * (CI sets them); without the URL it fails and says so (unless {@code -Dpfmeter.pg.skip=true} asks to
 * skip it, as for the accounting module's PostgreSQL tests). It works in a fresh schema it drops afterwards.
 */
class FleetIT {

    private static final String[] HOSTS = {"fw-a", "fw-b"};
    private static final long[] SEEDS = {11, 23};
    /** One simulated day at the 5-minute billing resolution, per daemon. */
    private static final int POLLS = 288;
    private static final Duration POLL_EVERY = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private String url;
    private String user;
    private String password;
    private String schema;

    @BeforeEach
    void schema() throws SQLException {
        url = System.getenv("PFMETER_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            if (Boolean.getBoolean("pfmeter.pg.skip")) {
                Assumptions.abort("PostgreSQL tests skipped on request (-Dpfmeter.pg.skip=true)");
            }
            fail("PFMETER_TEST_PG_URL is not set: FleetIT runs two daemons against one real PostgreSQL, e.g."
                    + " PFMETER_TEST_PG_URL=jdbc:postgresql://127.0.0.1:5432/pfmeter_test PFMETER_TEST_PG_USER=pfmeter"
                    + " PFMETER_TEST_PG_PASSWORD=pfmeter, or skip it explicitly with -Dpfmeter.pg.skip=true");
        }
        user = System.getenv().getOrDefault("PFMETER_TEST_PG_USER", "");
        password = System.getenv().getOrDefault("PFMETER_TEST_PG_PASSWORD", "");
        schema = "fleet_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
    }

    @AfterEach
    void drop() throws SQLException {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private String schemaUrl() {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Test
    void twoDaemonsShareOnePostgresqlAndEachHostIsBilledItsOwnGroundTruth() throws Exception {
        Path passwordFile = dir.resolve("pg.password");
        Keystores.secret(passwordFile, password + "\n");
        ExecutorService pool = Executors.newFixedThreadPool(HOSTS.length);
        List<TestDaemon> fleet = new ArrayList<>();
        try {
            // both start at once too: the schema migration of two fresh members must not collide
            List<Future<TestDaemon>> starting = new ArrayList<>();
            for (int i = 0; i < HOSTS.length; i++) {
                String host = HOSTS[i];
                long seed = SEEDS[i];
                starting.add(pool.submit(() -> TestDaemon.start(Files.createDirectories(dir.resolve(host)), """
                        poll.interval = 5m
                        accounting.host = %s
                        accounting.jdbc-url = %s
                        accounting.jdbc-user = %s
                        accounting.jdbc-password-file = %s
                        """.formatted(host, schemaUrl(), user, passwordFile),
                        new SimConfig(seed, AbiRelease.V8_0, SimScale.SMALL))));
            }
            ExecutionException failedToStart = null;
            for (Future<TestDaemon> f : starting) {
                try {
                    fleet.add(f.get(60, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    failedToStart = e;   // still collect the other one, so that finally closes it
                }
            }
            if (failedToStart != null) {
                throw failedToStart;
            }

            // the ledger's first poll of a host is its baseline: the bill is what each simulator
            // counted between the first and the last poll (no resets here, so nothing is discarded)
            Map<String, GroundTruth> atBaseline = new HashMap<>();
            for (int i = 0; i < HOSTS.length; i++) {
                atBaseline.put(HOSTS[i], fleet.get(i).pf.groundTruth());
            }
            CyclicBarrier together = new CyclicBarrier(HOSTS.length);
            List<Future<?>> running = new ArrayList<>();
            for (TestDaemon d : fleet) {
                running.add(pool.submit(() -> {
                    for (int p = 0; p < POLLS; p++) {
                        if (p > 0) {
                            d.clock.advance(POLL_EVERY);
                        }
                        together.await(30, TimeUnit.SECONDS);
                        d.daemon.poller().pollOnce();
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(120, TimeUnit.SECONDS);
            }
            Map<String, Map<LabelKey, GroundTruth.Counts>> truth = new TreeMap<>();
            for (int i = 0; i < HOSTS.length; i++) {
                TestDaemon d = fleet.get(i);
                // the clock still stands at the last poll
                truth.put(HOSTS[i], counted(atBaseline.get(HOSTS[i]), d.pf.groundTruth()));
                LedgerStats stats = d.daemon.accounting().orElseThrow().stats();
                assertThat(stats.writtenPolls()).as("%s wrote every poll", HOSTS[i]).isEqualTo(POLLS);
                assertThat(stats.backlog()).as("%s backlog", HOSTS[i]).isZero();
                assertThat(stats.droppedPolls()).isZero();
                assertThat(stats.writeErrors()).as("%s write errors: %s", HOSTS[i], stats.lastWriteError()).isZero();
                assertThat(stats.resets()).isZero();
                assertThat(d.scrape().value("pfmeter_ledger_written_polls_total")).contains((double) POLLS);
            }
            assertThat(truth.get("fw-a").keySet()).as("both firewalls carry the same label names")
                    .isEqualTo(truth.get("fw-b").keySet());
            assertThat(truth.get("fw-a")).as("different seeds, different traffic").isNotEqualTo(truth.get("fw-b"));
            truth.forEach((host, t) -> assertThat(t.values()).as("%s carried traffic", host).anyMatch(c -> c.bytesIn() > 0));

            try (AccountingStore store = AccountingStore.open(StoreConfig.jdbc(schemaUrl(), user, password))) {
                BillingReports reports = new BillingReports(store, BillingCycle.calendarMonthsUtc(), CustomerMapping.empty(),
                        Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));
                BillingPeriod november = BillingCycle.calendarMonthsUtc().period("2026-11");
                for (String host : HOSTS) {
                    BillingReport r = reports.report(ReportQuery.of(november).withHost(host));
                    assertThat(r.hosts()).containsExactly(host);
                    assertThat(volumes(r)).as("%s's bill is its simulator's ground truth", host).isEqualTo(truth.get(host));
                }
                BillingReport all = reports.report(ReportQuery.of(november));
                assertThat(all.hosts()).containsExactlyInAnyOrder(HOSTS);
                Map<LabelKey, GroundTruth.Counts> sum = new TreeMap<>();
                truth.values().forEach(t -> t.forEach((k, c) -> sum.merge(k, c, GroundTruth.Counts::plus)));
                assertThat(volumes(all)).as("the fleet's bill is the sum of the hosts'").isEqualTo(sum);
                for (BillingReport.LabelLine l : all.labels()) {
                    assertThat(l.hosts()).as("%s is billed on both hosts", l.name()).containsExactlyInAnyOrder(HOSTS);
                }
            }
            assertSeparateRows(truth);
        } finally {
            fleet.forEach(TestDaemon::close);
            pool.shutdownNow();
        }
    }

    private static Map<LabelKey, GroundTruth.Counts> counted(GroundTruth before, GroundTruth after) {
        Map<LabelKey, GroundTruth.Counts> m = new TreeMap<>();
        after.labels().forEach((k, t) -> {
            GroundTruth.Totals b = before.labels().get(k);
            GroundTruth.Counts c = b == null ? t.observable() : t.observable().minus(b.observable());
            m.put(k, c);
        });
        return m;
    }

    private static Map<LabelKey, GroundTruth.Counts> volumes(BillingReport r) {
        Map<LabelKey, GroundTruth.Counts> m = new TreeMap<>();
        for (BillingReport.LabelLine l : r.labels()) {
            Usage u = l.usage();
            m.put(l.label(), new GroundTruth.Counts(u.packetsIn(), u.packetsOut(), u.bytesIn(), u.bytesOut()));
        }
        return m;
    }

    /**
     * Same label names on both hosts are separate rows: every key carries its host. Each host has
     * counters for every label, and usage rows for every label that moved (at least those with
     * traffic) and no other.
     */
    private void assertSeparateRows(Map<String, Map<LabelKey, GroundTruth.Counts>> truth) throws SQLException {
        try (Connection c = DriverManager.getConnection(schemaUrl(), user, password)) {
            // series: one per host and label; buckets (closed in usage_5m, open in the journal): the
            // labels that moved, each under its own host's series
            Map<String, Set<LabelKey>> series = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT host, anchor, label FROM series WHERE kind = 'label'");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    series.computeIfAbsent(rs.getString(1), h -> new HashSet<>()).add(new LabelKey(rs.getString(2), rs.getString(3)));
                }
            }
            Map<String, Set<LabelKey>> buckets = new TreeMap<>();
            for (org.pfmeter.accounting.store.BucketRows.Row r : org.pfmeter.accounting.store.BucketRows.read(c,
                    java.util.Optional.empty(), java.time.Instant.EPOCH, java.time.Instant.parse("9999-01-01T00:00:00Z"))) {
                buckets.computeIfAbsent(r.host(), h -> new HashSet<>()).add(r.key());
            }
            assertThat(series.keySet()).as("series").containsExactly(HOSTS);
            assertThat(buckets.keySet()).as("buckets").containsExactly(HOSTS);
            for (String host : HOSTS) {
                Set<LabelKey> all = truth.get(host).keySet();
                assertThat(series.get(host)).as("series of %s", host).isEqualTo(all);
                Set<LabelKey> withTraffic = new HashSet<>();
                truth.get(host).forEach((k, n) -> {
                    if (!n.equals(GroundTruth.Counts.ZERO)) {
                        withTraffic.add(k);
                    }
                });
                assertThat(buckets.get(host)).as("buckets of %s", host).containsAll(withTraffic).isSubsetOf(all);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT host FROM pf_host ORDER BY host");
                 ResultSet rs = ps.executeQuery()) {
                List<String> hosts = new ArrayList<>();
                while (rs.next()) {
                    hosts.add(rs.getString(1));
                }
                assertThat(hosts).containsExactly(HOSTS);
            }
        }
    }
}
