package org.pfmeter.accounting.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.sim.FreeBsdSimulators;
import org.pfmeter.pf.sim.SimConfig;

/** {@code pfmeter simulate --sim-release}: the release reaches the simulator; FreeBSD's goes to its one factory. */
class MonthSimulationReleaseTest {

    @TempDir
    Path dir;

    @Test
    void theDefaultPlanSimulatesTheDefaultReleaseAndAnotherOneIsSimulatedAsAsked() {
        assertThat(MonthSimulation.defaultPlan(1).release()).isEqualTo(SimConfig.defaults().kernelRelease());
        MonthSimulation.Plan plan = MonthSimulation.defaultPlan(1).withEvents(List.of()).withRelease(AbiRelease.V7_8);
        assertThat(plan.withSeed(3).release()).as("kept by every with-method").isEqualTo(AbiRelease.V7_8);
        MonthSimulation.Result r = MonthSimulation.run(StoreConfig.h2(dir), plan);
        assertThat(r.mismatches()).isEmpty();
        assertThat(r.seriesMismatches()).isEmpty();
        assertThat(r.truth().labels()).isNotEmpty();
    }

    @Test
    void freeBsdGoesToTheSimulatorsOnePlaceBeforeAnyDatabaseIsOpened() {
        MonthSimulation.Plan plan = MonthSimulation.defaultPlan(1).withRelease(FreeBsdRelease.V15_0);
        assertThatThrownBy(() -> MonthSimulation.run(StoreConfig.h2(dir.resolve("db")), plan))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(FreeBsdSimulators.NOT_BUILT);
        assertThat(Files.exists(dir.resolve("db"))).isFalse();
    }
}
