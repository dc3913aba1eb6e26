package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.Pfsyncstats;
import org.pfmeter.pf.abi.SysctlCall;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.PfsyncCounter;
import org.pfmeter.pf.model.PfsyncStats;

/** net.inet.pfsync.stats: the sysctl as the kernel answers it, and pfsync present only where configured. */
class PfsyncTest {

    @Test
    void theMibIsNetstatsAndTheStructHasSixteenCounters() {
        assertThat(Pfsyncstats.mib()).containsExactly(4, 2, 240, 1);
        assertThat(PfsyncCounter.values()).hasSize(16);
        for (AbiRelease r : AbiRelease.values()) {
            assertThat(r.abi().pfsync().size()).as(r.version()).isEqualTo(128);
        }
    }

    @ParameterizedTest
    @EnumSource(AbiRelease.class)
    void withPfsyncConfiguredEveryPollReadsTheCountersTheKernelKeeps(AbiRelease release) {
        SimulatedPf sim = Sims.sim(SimConfig.defaults().withRelease(release).withPfsync(true));
        var reader = Sims.reader(sim);
        sim.advance(Duration.ofHours(2));
        PfSnapshot first = reader.poll();
        assertThat(first.complete()).isTrue();
        PfsyncStats a = first.pfsync().value().orElseThrow();
        assertThat(Sims.iface(first, "pfsync0").group()).isFalse();
        assertThat(a).isEqualTo(sim.expectedPfsync());
        assertThat(a.get(PfsyncCounter.OPACKETS)).isGreaterThan(7_200);
        assertThat(a.get(PfsyncCounter.IPACKETS)).isPositive();

        sim.advance(Duration.ofMinutes(10));
        sim.inject(Fault.PF_RESTART);                   // protocol counters live since boot: pf's restart leaves them
        PfsyncStats b = reader.poll().pfsync().value().orElseThrow();
        for (PfsyncCounter c : PfsyncCounter.values()) {
            assertThat(Long.compareUnsigned(b.get(c), a.get(c))).as(c.kernelName()).isGreaterThanOrEqualTo(0);
        }
        assertThat(b.get(PfsyncCounter.OPACKETS)).isGreaterThan(a.get(PfsyncCounter.OPACKETS));
    }

    @ParameterizedTest
    @EnumSource(AbiRelease.class)
    void withoutAPfsyncInterfaceTheSubsystemIsNotPresentNotAnError(AbiRelease release) {
        SimulatedPf sim = Sims.sim(SimConfig.defaults().withRelease(release));
        PfSnapshot s = Sims.reader(sim).poll();
        assertThat(s.pfsync().isNotPresent()).isTrue();
        assertThat(s.complete()).isTrue();
        assertThat(((org.pfmeter.pf.model.SubsystemResult.NotPresent<?>) s.pfsync()).why()).contains("pfsync0");
        assertThat(Sims.interfaces(s)).noneMatch(i -> i.name().startsWith("pfsync"));
        // the GENERIC kernel still answers the sysctl: with zeros
        SysctlCall call = new SysctlCall(Pfsyncstats.NAME, Pfsyncstats.mib(), NativeBytes.allocate(128));
        assertThat(sim.sysctl(call)).isZero();
        assertThat(call.oldLength()).isEqualTo(128);
        assertThat(AbiRelease.V8_0.abi().pfsync().decode(call.old()).counters().toArray()).containsOnly(0L);
    }

    @Test
    void theSysctlAnswersAsSysctlRdstructAndNetSysctlDo() {
        SimulatedPf sim = Sims.sim(SimConfig.defaults().withPfsync(true));
        SysctlCall shortBuffer = new SysctlCall(Pfsyncstats.NAME, Pfsyncstats.mib(), NativeBytes.allocate(120));
        assertThat(sim.sysctl(shortBuffer)).isEqualTo(Errno.ENOMEM);
        assertThat(sim.sysctl(new SysctlCall("net.inet.pfsync.x", new int[] {4, 2, 240, 2}, NativeBytes.allocate(128))))
                .isEqualTo(Errno.ENOPROTOOPT);
        assertThat(sim.sysctl(new SysctlCall("net.inet.carp", new int[] {4, 2, 112, 1}, NativeBytes.allocate(128))))
                .isEqualTo(Errno.ENOPROTOOPT);
        assertThat(sim.sysctl(new SysctlCall("net.inet.pfsync", new int[] {4, 2, 240}, NativeBytes.allocate(128))))
                .isEqualTo(Errno.EISDIR);
        ByteBuffer big = NativeBytes.allocate(200);
        SysctlCall larger = new SysctlCall(Pfsyncstats.NAME, Pfsyncstats.mib(), big);
        assertThat(sim.sysctl(larger)).isZero();
        assertThat(larger.oldLength()).isEqualTo(128);
    }

    @Test
    void countersStartWhereTheConfigurationSaysAndCrossTwoToTheSixtyThree() {
        SimulatedPf sim = Sims.sim(SimConfig.defaults().withPfsync(true).withCounterStart(Long.MAX_VALUE - 100));
        var reader = Sims.reader(sim);
        sim.advance(Duration.ofHours(1));
        PfsyncStats s = reader.poll().pfsync().value().orElseThrow();
        assertThat(s.get(PfsyncCounter.OPACKETS)).isNegative();          // above 2^63 as a signed long
        assertThat(s.get(PfsyncCounter.OPACKETS6)).isEqualTo(Long.MAX_VALUE - 100);
    }
}
