package org.pfmeter.accounting.bills;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pfmeter.accounting.simulate.MonthSimulation;
import org.pfmeter.accounting.store.AccountingStore;
import org.pfmeter.accounting.store.StoreConfig;

/**
 * Bills on each database ({@link BillsH2Test}, {@link BillsPostgresIT}): two simulated days across a
 * period end, the closed period stored once with the figures computed from the 5-minute data, a
 * second store of it refused, and the current period computed.
 */
abstract class BillsContract {

    static final String FILE = """
            [bill acme]
            type      = 95th
            commit    = 1M
            direction = aggregate
            anchor    = customers/acme

            [bill globex]
            type      = quota
            quota     = 10G
            anchor    = customers/globex*
            """;

    abstract StoreConfig newDatabase();

    abstract void dropDatabases() throws Exception;

    @AfterEach
    void drop() throws Exception {
        dropDatabases();
    }

    @Test
    void a_closed_period_is_stored_once_as_computed_and_the_current_one_is_computed() {
        StoreConfig db = newDatabase();
        MonthSimulation.Plan plan = MonthSimulation.defaultPlan(2).withStart(Instant.parse("2026-10-31T00:00:00Z"))
                .withPollInterval(Duration.ofMinutes(5)).withEvents(List.of());
        MonthSimulation.run(db, plan);
        BillsFile file = BillsFile.parse(FILE, "contract.bills");
        try (AccountingStore store = AccountingStore.open(db)) {
            Bills bills = new Bills(store, file);
            Bill acme = file.bill("acme");
            PeriodFigures computed = bills.figures(acme, acme.cycle().period("2026-10"), plan.end());
            assertThat(computed.closed()).isTrue();
            assertThat(computed.stored()).isFalse();
            assertThat(computed.bytesTotal()).isPositive();
            assertThat(computed.samples()).isEqualTo(289);     // the first poll's slot and the 288 of 31 October

            List<PeriodFigures> stored = bills.storeClosed(plan.end());
            assertThat(stored).extracting(f -> f.bill() + " " + f.period()).containsExactly("acme 2026-10", "globex 2026-10");
            assertThat(new Bills(store, file).storeClosed(plan.end())).isEmpty();
            assertThat(new BillStore(store).storeOnce(stored.get(0), "", plan.end())).isFalse();

            PeriodFigures read = bills.figures(acme, acme.cycle().period("2026-10"), plan.end());
            assertThat(read.stored()).isTrue();
            assertThat(List.of(read.bytesIn(), read.bytesOut(), read.packetsIn(), read.packetsOut(), read.samples(),
                    read.periodSlots(), read.p95Bytes(), read.aboveCommit(), read.type(), read.start(), read.end()))
                    .isEqualTo(List.of(computed.bytesIn(), computed.bytesOut(), computed.packetsIn(), computed.packetsOut(),
                            computed.samples(), computed.periodSlots(), computed.p95Bytes(), computed.aboveCommit(),
                            computed.type(), computed.start(), computed.end()));

            List<PeriodFigures> history = bills.history(file.bill("globex"), plan.end(), 1);
            assertThat(history).extracting(PeriodFigures::period).containsExactly("2026-10", "2026-11");
            assertThat(history.get(1).closed()).isFalse();
            assertThat(history.get(1).samples()).isEqualTo(288);
            assertThat(history.get(1).bytesTotal()).isPositive();
        }
    }
}
