package org.pfmeter.exporter.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.client.Collector;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.billing.BillingCycle;
import org.pfmeter.accounting.ledger.LedgerStats;
import org.pfmeter.accounting.store.BucketRows;
import org.pfmeter.accounting.store.RetentionPolicy;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.exporter.config.AccountingConfig;
import org.pfmeter.exporter.poll.PollStats;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.sim.GroundTruth;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * The daemon's accounting (poller hands over, writer thread writes) while the host's clock stamps one
 * poll five years ahead: before the fix every later poll was skipped with no log line and no metric
 * moved but {@code pfmeter_ledger_skipped_polls_total}. Now every poll is written, each in its own
 * minute, the jump and the return are counted, and the bytes equal the simulator's ground truth. The
 * writer's hourly retention, which runs while the wall clock reads 2031, deletes nothing: its cut-off
 * follows the ledger's booked time (with the wall clock it deleted every row older than 2030).
 */
class DaemonClockJumpTest {

    private static final Instant START = Instant.parse("2026-11-02T09:00:00Z");

    @TempDir
    Path dir;

    /** The host's wall clock: the simulated time plus an offset the test steps. */
    static final class SteppedClock extends Clock {
        private final Clock base;
        volatile Duration offset = Duration.ZERO;

        SteppedClock(Clock base) {
            this.base = base;
        }

        @Override
        public Instant instant() {
            return base.instant().plus(offset);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aPollStampedYearsAheadIsCountedExportedAndItsBytesBookedWhereTheyBelong() throws Exception {
        SimClock time = SimClock.manual(START);
        SimConfig sim = new SimConfig(1, AbiRelease.V8_0, SimScale.SMALL);
        SimulatedPf pf = new SimulatedPf(sim, time);
        SteppedClock wall = new SteppedClock(time);
        PfReader reader = new PfReader(pf, sim.kernelRelease(), wall);
        AccountingConfig config = new AccountingConfig(true, "fw1", StoreConfig.h2(dir), 1440, RetentionPolicy.defaults(),
                BillingCycle.calendarMonthsUtc(), Optional.empty(), Optional.empty(), Duration.ofHours(1), Optional.empty(),
                Optional.empty());
        int polls = 70;
        LedgerStats stats;
        List<Collector.MetricFamilySamples> metrics;
        DaemonAccounting accounting = DaemonAccounting.open(config, wall, time, Optional.empty());
        try {
            for (int m = 0; m < polls; m++) {
                time.advance(m == 0 ? Duration.ZERO : Duration.ofMinutes(1));
                // the writer's hourly retention is due at the poll of 10:00, stamped in 2031
                wall.offset = m == 60 ? Duration.ofDays(5 * 365) : Duration.ZERO;
                accounting.onSnapshot(reader.poll(), PollStats.NONE);
                assertThat(accounting.awaitIdle(Duration.ofSeconds(60))).isTrue();
            }
            stats = accounting.stats();
            metrics = new LedgerCollector(accounting::stats).collect();
        } finally {
            accounting.close();
        }
        assertThat(stats.writtenPolls()).isEqualTo(polls);
        assertThat(stats.skippedPolls() + stats.stalePolls()).isZero();
        assertThat(stats.clockJumpsForward()).isEqualTo(1);
        assertThat(stats.clockJumpsBackward()).isEqualTo(1);
        assertThat(metrics.stream().filter(f -> f.name.equals("pfmeter_ledger_clock_jumps")).flatMap(f -> f.samples.stream()))
                .extracting(s -> s.labelValues.get(0) + " " + s.value)
                .containsExactly("forward 1.0", "backward 1.0");

        Map<LabelKey, GroundTruth.Counts> stored = new HashMap<>();
        Instant latest = Instant.MIN;
        try (Connection c = DriverManager.getConnection(StoreConfig.h2(dir).url())) {
            for (BucketRows.Row r : BucketRows.read(c, Optional.empty(), Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z"))) {
                stored.merge(r.key(), new GroundTruth.Counts(r.usage().packetsIn(), r.usage().packetsOut(),
                        r.usage().bytesIn(), r.usage().bytesOut()), GroundTruth.Counts::plus);
                latest = r.bucket().isAfter(latest) ? r.bucket() : latest;
            }
        }
        assertThat(latest).as("the last bucket is the last poll's (10:09), not 2031's")
                .isEqualTo(Instant.parse("2026-11-02T10:05:00Z"));
        Map<LabelKey, GroundTruth.Counts> truth = new HashMap<>();
        pf.groundTruth().labels().forEach((k, v) -> {
            if (!v.observable().equals(GroundTruth.Counts.ZERO)) {
                truth.put(k, v.observable());
            }
        });
        stored.values().removeIf(GroundTruth.Counts.ZERO::equals);
        assertThat(truth).isNotEmpty();
        assertThat(stored).isEqualTo(truth);
    }
}
