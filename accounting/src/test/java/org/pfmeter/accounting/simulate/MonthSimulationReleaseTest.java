package org.pfmeter.accounting.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.store.StoreConfig;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.FreeBsdRelease;
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
    void thirtyFiveDaysOfFreeBsd15WithReloadsZeroingRestartsAndCrashesEqualTheGroundTruthToTheByte() {
        // a poll every 10 minutes (5 on OpenBSD's): FreeBSD's netlink answers cost more to simulate,
        // and every event, crash and restart of the plan still falls between two polls
        MonthSimulation.Plan plan = MonthSimulation.defaultPlan(35).withPollInterval(Duration.ofMinutes(10))
                .withRelease(FreeBsdRelease.FREEBSD_15_0);
        MonthSimulation.Result r = MonthSimulation.run(StoreConfig.h2(dir), plan);
        assertThat(r.crashes()).isEqualTo(5);
        MonthSimulationTest.verify(StoreConfig.h2(dir), r);
    }

    /**
     * The default plan's first reset comes after two days (a reload at 2d 7h), so two days of it would
     * discard nothing: these two days carry each kind of event of the default week, at its time of day.
     */
    @Test
    void twoDaysOfFreeBsd14WithAReloadZeroingRestartAndCrashEqualTheGroundTruthToTheByte() {
        MonthSimulation.Plan plan = MonthSimulation.defaultPlan(2).withPollInterval(Duration.ofMinutes(5))
                .withRelease(FreeBsdRelease.FREEBSD_14_3).withEvents(List.of(
                        MonthSimulation.Event.at("PT7H13M10S", MonthSimulation.Event.Kind.RULESET_RELOAD),
                        MonthSimulation.Event.at("PT14H2M30S", MonthSimulation.Event.Kind.ZERO_COUNTERS),
                        MonthSimulation.Event.at("P1DT3H33M20S", MonthSimulation.Event.Kind.PF_RESTART),
                        MonthSimulation.Event.at("P1DT9H0M30S", MonthSimulation.Event.Kind.CRASH)));
        MonthSimulation.Result r = MonthSimulation.run(StoreConfig.h2(dir), plan);
        assertThat(r.crashes()).isEqualTo(1);
        MonthSimulationTest.verify(StoreConfig.h2(dir), r);
    }

    @Test
    void freeBsdRefusesNamedAddressTablesBeforeAnyDatabaseIsOpened() {
        MonthSimulation.Plan plan = MonthSimulation.defaultPlan(1).withRelease(FreeBsdRelease.FREEBSD_15_0)
                .withAddressTables(List.of(new org.pfmeter.pf.model.TableKey("", "t")));
        assertThatThrownBy(() -> MonthSimulation.run(StoreConfig.h2(dir.resolve("db")), plan))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not read on FreeBSD");
        assertThat(Files.exists(dir.resolve("db"))).isFalse();
    }
}
