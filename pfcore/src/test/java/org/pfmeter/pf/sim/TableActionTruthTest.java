package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableAddress;
import org.pfmeter.pf.model.TableKey;

/**
 * The ground truth of tables and entries per action ({@link SimulatedPf#tableTruth(TableAction)},
 * {@link SimulatedPf#addressTruth(TableAction)}): the actions add up to the sums, what was counted
 * and what resets discarded alike, and the small firewall both passes and blocks at a counting table
 * (globex's {@code block in from <globex-nets>}), so per-action accounting is tested on both.
 */
class TableActionTruthTest {

    static final TableKey ACME = new TableKey("customers/acme", "acme-nets");
    static final TableKey GLOBEX = new TableKey("customers/globex", "globex-nets");
    static final List<TableAction> ADDRESS_ACTIONS = List.of(TableAction.BLOCK, TableAction.MATCH, TableAction.PASS);

    @Test
    void theActionsAddUpToTheSumsThroughResetsAndGlobexNetsPassesAndBlocks() {
        SimulatedPf sim = Sims.small();
        sim.schedule(FaultSchedule.parse("table-flush@1h,zero-counters@2h,address-readd@2h30m,pf-restart@3h"));
        PfReader reader = new PfReader(sim, sim.config().kernelRelease(), sim.clock(), 5, List.of(ACME, GLOBEX));
        for (int poll = 0; poll < 4 * 12; poll++) {
            sim.advance(Duration.ofMinutes(5));
            reader.poll();
        }
        Map<TableKey, GroundTruth.Totals> tables = sim.tableTruth();
        for (Map.Entry<TableKey, GroundTruth.Totals> t : tables.entrySet()) {
            GroundTruth.Counts counted = GroundTruth.Counts.ZERO;
            GroundTruth.Counts discarded = GroundTruth.Counts.ZERO;
            for (TableAction op : TableAction.values()) {
                counted = counted.plus(sim.tableTruth(op).get(t.getKey()).counted());
                discarded = discarded.plus(sim.tableTruth(op).get(t.getKey()).discarded());
            }
            assertThat(counted).as("table %s", t.getKey()).isEqualTo(t.getValue().counted());
            assertThat(discarded).as("table %s", t.getKey()).isEqualTo(t.getValue().discarded());
        }
        Map<TableKey, Map<TableAddress, GroundTruth.Totals>> entries = sim.addressTruth();
        for (Map.Entry<TableKey, Map<TableAddress, GroundTruth.Totals>> t : entries.entrySet()) {
            for (Map.Entry<TableAddress, GroundTruth.Totals> a : t.getValue().entrySet()) {
                GroundTruth.Counts counted = GroundTruth.Counts.ZERO;
                GroundTruth.Counts discarded = GroundTruth.Counts.ZERO;
                for (TableAction op : ADDRESS_ACTIONS) {
                    counted = counted.plus(sim.addressTruth(op).get(t.getKey()).get(a.getKey()).counted());
                    discarded = discarded.plus(sim.addressTruth(op).get(t.getKey()).get(a.getKey()).discarded());
                }
                assertThat(counted).as("%s %s", t.getKey(), a.getKey()).isEqualTo(a.getValue().counted());
                assertThat(discarded).as("%s %s", t.getKey(), a.getKey()).isEqualTo(a.getValue().discarded());
            }
        }
        assertThat(bytes(sim.tableTruth(TableAction.BLOCK).get(GLOBEX))).isPositive();
        assertThat(bytes(sim.tableTruth(TableAction.PASS).get(GLOBEX))).isPositive();
        assertThat(bytes(sim.tableTruth(TableAction.BLOCK).get(ACME))).as("acme's rules only pass").isZero();
        assertThat(sim.addressTruth(TableAction.BLOCK).get(GLOBEX).values()).anySatisfy(v -> assertThat(bytes(v)).isPositive());
        assertThat(sim.addressTruth(TableAction.MATCH).get(GLOBEX).values()).allSatisfy(v -> assertThat(bytes(v)).isZero());
        assertThat(sim.addressTruth(TableAction.XPASS).get(GLOBEX).values()).as("pf counts no xpass on an entry")
                .allSatisfy(v -> assertThat(bytes(v)).isZero());
        long discardedBlocks = sim.addressTruth(TableAction.BLOCK).get(GLOBEX).values().stream()
                .mapToLong(v -> v.discarded().bytesIn() + v.discarded().bytesOut()).sum();
        assertThat(discardedBlocks).as("the zeroing and the restart discarded blocked bytes nobody read").isPositive();
    }

    private static long bytes(GroundTruth.Totals t) {
        return t.counted().bytesIn() + t.counted().bytesOut();
    }
}
