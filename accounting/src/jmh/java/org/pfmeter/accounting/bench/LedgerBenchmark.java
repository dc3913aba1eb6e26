package org.pfmeter.accounting.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
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
    private MovingLabels polls;
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
        ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(MovingLabels.START, ZoneOffset.UTC));
        polls = new MovingLabels(labels);
        host = "bench-" + System.nanoTime();
        ledger.record(host, polls.next());   // the baseline poll
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    @Benchmark
    public RecordResult recordOnePoll() {
        return ledger.record(host, polls.next());
    }
}
