package org.pfmeter.accounting.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.BucketRows;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.accounting.testing.StoredBuckets;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.sim.Fault;
import org.pfmeter.pf.sim.GroundTruth;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * Six simulated hours of polls a minute apart while the wall clock that stamps them jumps: one poll
 * stamped five years ahead, an NTP step back, a step forward that stays, a step back that stays,
 * with a ruleset reload, a zeroing and a restart of pfmeter in between. The ledger's bytes per
 * label equal the simulator's ground truth, no poll is skipped, and no bucket lies in the future.
 */
class ClockJumpGroundTruthTest {

    static final String HOST = "fw1";
    static final Instant START = Instant.parse("2026-10-01T00:00:00Z");

    @TempDir
    Path dir;

    /** The host's wall clock: the simulated time plus an offset the test sets (a clock that is stepped). */
    static final class SteppedClock extends Clock {
        private final Clock base;
        Duration offset = Duration.ZERO;

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
    void bytesPerLabelEqualTheGroundTruthWhileTheWallClockJumpsForwardAndBack() throws SQLException {
        SimClock time = SimClock.manual(START);
        SimConfig config = SimConfig.defaults();
        SimulatedPf pf = new SimulatedPf(config, time);
        SteppedClock wall = new SteppedClock(time);
        PfReader reader = new PfReader(pf, config.kernelRelease(), wall);
        StoreConfig db = StoreConfig.h2(dir);
        AccountingStore store = AccountingStore.open(db);
        // the simulated time is what really passed: the ledger's monotonic clock
        Ledger ledger = new Ledger(store, LedgerOptions.defaults(), wall, Optional.of(time));
        long forward = 0;
        long backward = 0;
        int minutes = 360;
        try {
            for (int m = 0; m <= minutes; m++) {
                time.advance(m == 0 ? Duration.ZERO : Duration.ofMinutes(1));
                switch (m) {
                    case 40 -> wall.offset = Duration.ofDays(5 * 365);          // one poll stamped in 2031
                    case 41 -> wall.offset = Duration.ZERO;                      // and back
                    case 90 -> wall.offset = Duration.ofMinutes(-3);             // NTP steps back 3 minutes
                    case 220 -> wall.offset = Duration.ofHours(2);               // and forward 2 hours, for good
                    case 300 -> wall.offset = Duration.ofMinutes(-20);           // then back behind the booked time
                    default -> { }
                }
                switch (m) {
                    case 100 -> pf.inject(Fault.RULESET_RELOAD);
                    case 150 -> {                                               // pfmeter restarts
                        forward += ledger.stats().clockJumpsForward();
                        backward += ledger.stats().clockJumpsBackward();
                        store.abandon();
                        store = AccountingStore.open(db);
                        ledger = new Ledger(store, LedgerOptions.defaults(), wall, Optional.of(time));
                    }
                    case 200 -> pf.inject(Fault.ZERO_COUNTERS);
                    default -> { }
                }
                RecordResult r = ledger.record(HOST, reader.poll());
                assertThat(r.outcome()).as("poll of minute %d: %s", m, r.error()).isEqualTo(RecordResult.Outcome.WRITTEN);
            }
            forward += ledger.stats().clockJumpsForward();
            backward += ledger.stats().clockJumpsBackward();
        } finally {
            store.close();
        }
        assertThat(forward).as("2031, +2 h").isEqualTo(2);
        assertThat(backward).as("back from 2031, -3 min, -2 h 20 min").isEqualTo(3);

        Map<LabelKey, GroundTruth.Counts> ledgerTotals = new HashMap<>();
        Instant latest = Instant.MIN;
        for (BucketRows.Row r : StoredBuckets.all(StoredBuckets.url(dir))) {
            ledgerTotals.merge(r.key(), new GroundTruth.Counts(r.usage().packetsIn(), r.usage().packetsOut(),
                    r.usage().bytesIn(), r.usage().bytesOut()), GroundTruth.Counts::plus);
            latest = r.bucket().isAfter(latest) ? r.bucket() : latest;
        }
        assertThat(latest).as("no bucket in 2031: the last lies within the 2 hours the clock stayed ahead")
                .isBefore(START.plus(Duration.ofMinutes(minutes)).plus(Duration.ofHours(2)));
        GroundTruth truth = pf.groundTruth();
        long bytes = 0;
        for (Map.Entry<LabelKey, GroundTruth.Totals> e : truth.labels().entrySet()) {
            GroundTruth.Counts want = e.getValue().observable();
            assertThat(ledgerTotals.getOrDefault(e.getKey(), GroundTruth.Counts.ZERO)).as("label %s", e.getKey()).isEqualTo(want);
            bytes += want.bytesIn() + want.bytesOut();
        }
        assertThat(bytes).isPositive();
        assertThat(ledgerTotals.keySet()).isSubsetOf(truth.labels().keySet());
    }
}
