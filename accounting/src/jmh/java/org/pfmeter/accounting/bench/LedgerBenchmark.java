package org.pfmeter.accounting.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.pfmeter.accounting.ledger.Ledger;
import org.pfmeter.accounting.ledger.LedgerOptions;
import org.pfmeter.accounting.ledger.RecordResult;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.model.SubsystemResult;

/**
 * Writing one poll's 5,000 label deltas (one transaction, with the raw counters and the 5-minute,
 * hourly and daily buckets) into H2 on disk, or into PostgreSQL when PFMETER_BENCH_PG_URL is set.
 * Goal: well inside one poll interval (10 s).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class LedgerBenchmark {

    @Param({"h2", "postgresql"})
    public String database;

    @Param({"5000"})
    public int labels;

    private Path dir;
    private AccountingStore store;
    private Ledger ledger;
    private Instant now = Instant.parse("2026-10-01T00:00:00Z");
    private long step;
    private PfSnapshot template;
    private String host;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        StoreConfig config;
        if (database.equals("postgresql")) {
            String url = System.getenv("PFMETER_BENCH_PG_URL");
            if (url == null) {
                throw new IllegalStateException("set PFMETER_BENCH_PG_URL (and _USER, _PASSWORD) to benchmark PostgreSQL, or run with -p database=h2");
            }
            config = StoreConfig.jdbc(url, System.getenv("PFMETER_BENCH_PG_USER"), System.getenv("PFMETER_BENCH_PG_PASSWORD"));
        } else {
            dir = Files.createTempDirectory("pfmeter-ledger-bench");
            config = StoreConfig.h2(dir);
        }
        store = AccountingStore.open(config);
        ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(now, ZoneOffset.UTC));
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults(), SimClock.manual(now));
        template = new PfReader(sim, AbiRelease.V8_0, sim.clock()).poll();   // a real status, limits, …
        host = "bench-" + System.nanoTime();
        ledger.record(host, snapshot());   // the baseline poll
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    private PfSnapshot snapshot() {
        now = now.plus(Duration.ofSeconds(10));
        step++;
        List<RuleCounters> rules = new ArrayList<>(labels);
        List<LabelCounters> sums = new ArrayList<>(labels);
        for (int i = 0; i < labels; i++) {
            String anchor = "customers/c" + (i / 100);
            String label = "label-" + i;
            long v = step * (1000 + i);
            RuleCounters r = new RuleCounters(anchor, i % 100, label, "", v, v, v, v * 100, v * 200, 3, v);
            rules.add(r);
            sums.add(LabelCounters.empty(anchor, label).plus(r));
        }
        PfSnapshot t = template;
        return new PfSnapshot(now, Duration.ZERO, "8.0", t.status(), t.limits(), t.timeouts(), t.interfaces(),
                SubsystemResult.ok(new Rules(List.of(""), rules, sums)), t.tables(), t.queues());
    }

    @Benchmark
    public RecordResult recordOnePoll() {
        return ledger.record(host, snapshot());
    }
}
