package org.pfmeter.accounting.bench;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
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
import org.openjdk.jmh.annotations.Timeout;
import org.openjdk.jmh.annotations.Warmup;
import org.pfmeter.accounting.store.LedgerStore;

/**
 * Sealing one UTC day ({@link LedgerStore#sealNextDay}, the transaction the ledger runs after the
 * first bucket close of the next day), here for the large firewall's 5,000 labels (1.44 million
 * 5-minute rows a day), with a week of rows in the table. Each invocation seals the same day again
 * (the seal replaces the day's rows).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
@Timeout(time = 10, timeUnit = TimeUnit.MINUTES)
public class SealBenchmark {

    @Param({"h2", "postgresql"})
    public String database;

    @Param({"5000"})
    public int labels;

    /** The day sealed: the fourth of the seven filled. */
    private static final Instant DAY = BenchData.MONTH.plus(Duration.ofDays(3));

    private BenchData data;
    private LedgerStore tables;

    @Setup(Level.Trial)
    public void setUp() throws IOException, SQLException {
        data = new BenchData(database);
        data.fill("seal", labels, BenchData.MONTH, 0, 7 * 288 - 1);
        data.settle();
        tables = new LedgerStore(data.store);
    }

    @Setup(Level.Invocation)
    public void unseal() {
        data.store.inTransaction("unseal the day", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE pf_host SET sealed_until = ? WHERE host = 'seal'")) {
                ps.setObject(1, DAY.atOffset(ZoneOffset.UTC));
                return ps.executeUpdate();
            }
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        data.close();
    }

    @Benchmark
    public Instant sealOneDay() {
        Instant sealed = tables.sealNextDay("seal", DAY.plus(Duration.ofDays(1)))
                .orElseThrow(() -> new IllegalStateException("no day was due"));
        if (!sealed.equals(DAY)) {
            throw new IllegalStateException("sealed " + sealed + ", expected " + DAY);
        }
        return sealed;
    }
}
