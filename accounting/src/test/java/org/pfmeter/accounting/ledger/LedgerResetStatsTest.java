package org.pfmeter.accounting.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.TableAddresses;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.sim.Fault;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * The ledger's reset statistics count each kind of series apart: a re-added entry is one entry
 * reset and nothing else; {@code pfctl -z} with {@code pfctl -T zero} resets every table and every
 * entry read, and the labels; none of them counts as another kind's.
 */
class LedgerResetStatsTest {

    static final Instant START = Instant.parse("2026-10-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void labelTableAndEntryResetsAreCountedEachByItsKind() {
        SimClock clock = SimClock.manual(START);
        SimConfig config = SimConfig.defaults();
        SimulatedPf pf = new SimulatedPf(config, clock);
        List<TableKey> counting = new ArrayList<>(pf.addressTruth().keySet());
        PfReader reader = new PfReader(pf, config.kernelRelease(), clock, 5, counting);
        try (AccountingStore store = AccountingStore.open(StoreConfig.h2(dir))) {
            Ledger ledger = new Ledger(store, LedgerOptions.defaults(), Clock.offset(clock, Duration.ZERO));
            record(ledger, reader, clock);                  // the baseline: no reset
            record(ledger, reader, clock);
            assertThat(resets(ledger)).containsExactly(0L, 0L, 0L);

            pf.inject(Fault.ADDRESS_READD);                 // the busiest entry deleted and added again
            record(ledger, reader, clock);
            assertThat(resets(ledger)).containsExactly(0L, 0L, 1L);

            pf.inject(Fault.ZERO_COUNTERS);                 // pfctl -z and pfctl -T zero
            PfSnapshot zeroed = record(ledger, reader, clock);
            int tables = zeroed.tables().value().orElseThrow().size();
            int entries = zeroed.tableAddresses().value().orElseThrow().stream().mapToInt(t -> t.addresses().size()).sum();
            assertThat(tables).isGreaterThan(counting.size());
            assertThat(entries).isGreaterThan(10);
            LedgerStats s = ledger.stats();
            assertThat(s.resets()).as("label resets").isPositive();
            assertThat(s.tableResets()).as("every table's tzero moved").isEqualTo(tables);
            assertThat(s.addressResets()).as("every entry's tzero moved, plus the re-added one").isEqualTo(1L + entries);
            assertThat(counting).allSatisfy(t -> assertThat(zeroed.tableAddresses().value().orElseThrow())
                    .extracting(TableAddresses::table).contains(t));
        }
    }

    private static PfSnapshot record(Ledger ledger, PfReader reader, SimClock clock) {
        clock.advance(Duration.ofMinutes(1));
        PfSnapshot s = reader.pollForLedger();
        RecordResult r = ledger.record("fw1", s);
        assertThat(r.outcome()).as("%s", r.error()).isEqualTo(RecordResult.Outcome.WRITTEN);
        return s;
    }

    private static List<Long> resets(Ledger ledger) {
        LedgerStats s = ledger.stats();
        return List.of(s.resets(), s.tableResets(), s.addressResets());
    }
}
