package org.pfmeter.accounting.bench;

import java.io.IOException;
import java.nio.file.Files;
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
import org.pfmeter.accounting.store.SlotGrid;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.model.PfSnapshot;

/**
 * The ledger's writes at 5,000 moving labels, polls 10 s apart, into H2 on disk or into PostgreSQL
 * (PFMETER_BENCH_PG_URL, _USER, _PASSWORD), in two benchmarks:
 * <ul>
 *   <li>{@code pollInBucket}: a poll that closes no bucket, the 29 of every 30 (one transaction:
 *       pf_host and one journal row). Goal: at most 100 ms on H2.</li>
 *   <li>{@code pollClosingBucket}: the first poll of a 5-minute bucket, which also closes the
 *       bucket before (a second transaction: its 5,000 usage_5m rows, the label_counters
 *       checkpoint, the journal rows deleted). The polls between are written untimed.</li>
 * </ul>
 * Sealing a day is {@link SealBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(1)
public class LedgerBenchmark {

    /** One ledger writing one host's polls, and the next poll to write. */
    @State(Scope.Benchmark)
    public abstract static class Polls {
        @Param({"h2", "postgresql"})
        public String database;

        @Param({"5000"})
        public int labels;

        AccountingStore store;
        Ledger ledger;
        MovingLabels source;
        String host;
        PfSnapshot next;

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
                config = StoreConfig.h2(Files.createTempDirectory("pfmeter-ledger-bench"));
            }
            store = AccountingStore.open(config);
            ledger = new Ledger(store, LedgerOptions.defaults(), Clock.fixed(MovingLabels.START, ZoneOffset.UTC));
            source = new MovingLabels(labels);
            host = "bench-" + System.nanoTime();
            write(source.next());   // the baseline poll
            next = source.next();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            store.close();
        }

        /** Whether {@code next} is the first poll of its bucket (it closes the one before). */
        boolean nextClosesBucket() {
            return !SlotGrid.slotOf(next.takenAt()).equals(SlotGrid.slotOf(next.takenAt().minusSeconds(10)));
        }

        /** Writes {@code next} untimed and takes the poll after it. */
        void skip() {
            write(next);
            next = source.next();
        }

        RecordResult write(PfSnapshot poll) {
            RecordResult r = ledger.record(host, poll);
            if (r.outcome() != RecordResult.Outcome.WRITTEN) {
                throw new IllegalStateException("poll at " + poll.takenAt() + ": " + r);
            }
            return r;
        }

        RecordResult writeNext() {
            RecordResult r = write(next);
            next = source.next();
            return r;
        }
    }

    /** Each invocation writes a poll that closes no bucket. */
    public static class InBucket extends Polls {
        @Setup(Level.Invocation)
        public void skipClosing() {
            while (nextClosesBucket()) {
                skip();
            }
        }
    }

    /** Each invocation writes the first poll of a bucket; the 29 polls before it are written untimed. */
    public static class Closing extends Polls {
        @Setup(Level.Invocation)
        public void skipToClosing() {
            while (!nextClosesBucket()) {
                skip();
            }
        }
    }

    @Benchmark
    public RecordResult pollInBucket(InBucket polls) {
        return polls.writeNext();
    }

    @Benchmark
    public RecordResult pollClosingBucket(Closing polls) {
        return polls.writeNext();
    }
}
