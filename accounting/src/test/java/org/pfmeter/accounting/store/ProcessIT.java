package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.testing.StoredBuckets;
import org.pfmeter.accounting.testing.LedgerChild;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.sim.GroundTruth;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/** Real processes: an H2 file held by another process, and a pfmeter killed with SIGKILL mid-run. */
class ProcessIT {

    private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");

    @TempDir
    Path dir;

    private Process child(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] cmd = new String[args.length + 4];
        cmd[0] = java;
        cmd[1] = "-cp";
        cmd[2] = System.getProperty("java.class.path");
        cmd[3] = LedgerChild.class.getName();
        System.arraycopy(args, 0, cmd, 4, args.length);
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void anH2FileHeldByAnotherProcessIsALockedErrorNamingTheFile() throws Exception {
        Process holder = child("hold", dir.toString());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).startsWith("open H2");
            assertThatThrownBy(() -> AccountingStore.open(StoreConfig.h2(dir)))
                    .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.LOCKED))
                    .hasMessageContaining("cannot open the accounting database (" + dir.resolve("pfmeter.mv.db") + ")")
                    .hasMessageContaining("another process has the database open or locked");
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void killingPfmeterWithSigkillLosesNothingAndRepeatsNothing() throws Exception {
        Process p = child("poll", dir.toString(), START.toString(), "100000");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.equals("polled 400"));
            assertThat(line).isEqualTo("polled 400");
            p.destroyForcibly();        // SIGKILL, most likely in the middle of a transaction
            p.waitFor(30, TimeUnit.SECONDS);
        }
        // restart: the database says how far the killed process got; continue with the same pf from there
        Instant last;
        try (Connection c = DriverManager.getConnection(StoreConfig.h2(dir).url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT last_polled_at FROM pf_host")) {
            rs.next();
            last = rs.getObject(1, OffsetDateTime.class).toInstant();
        }
        assertThat(last).isAfterOrEqualTo(START.plus(Duration.ofMinutes(400)));
        SimClock clock = SimClock.manual(START);
        SimulatedPf pf = new SimulatedPf(SimConfig.defaults(), clock);
        PfReader reader = new PfReader(pf, SimConfig.defaults().kernelRelease(), clock);
        clock.advance(Duration.between(START, last).plusSeconds(60));
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.systemUTC());
            for (int i = 0; i < 100; i++) {
                ledger.record("fw1", reader.poll());
                clock.advance(Duration.ofSeconds(60));
            }
        }
        SimClock endClock = SimClock.manual(START);
        SimulatedPf truthPf = new SimulatedPf(SimConfig.defaults(), endClock);
        endClock.advance(Duration.between(START, clock.instant()).minusSeconds(60));
        Map<LabelKey, GroundTruth.Totals> truth = truthPf.groundTruth().labels();
        // closed buckets and the open one in the journal: everything the ledger booked
        Map<LabelKey, long[]> stored = new java.util.HashMap<>();
        for (BucketRows.Row r : StoredBuckets.all(StoredBuckets.url(dir))) {
            long[] v = stored.computeIfAbsent(r.key(), k -> new long[3]);
            v[0] += r.usage().bytesIn();
            v[1] += r.usage().bytesOut();
            v[2] += r.usage().packetsIn();
        }
        {
            int labels = 0;
            for (Map.Entry<LabelKey, long[]> e : stored.entrySet()) {
                GroundTruth.Counts t = truth.get(e.getKey()).observable();
                assertThat(e.getValue()[0]).as(e.getKey().toString()).isEqualTo(t.bytesIn());
                assertThat(e.getValue()[1]).as(e.getKey().toString()).isEqualTo(t.bytesOut());
                assertThat(e.getValue()[2]).as(e.getKey().toString()).isEqualTo(t.packetsIn());
                labels++;
            }
            assertThat(labels).isEqualTo(truth.size());
        }
    }
}
