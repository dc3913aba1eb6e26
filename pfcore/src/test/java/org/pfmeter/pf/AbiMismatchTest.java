package org.pfmeter.pf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Subsystem;
import org.pfmeter.pf.sim.Fault;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/** A reader built for one release against a kernel of another: every way it shows is called an ABI mismatch. */
class AbiMismatchTest {

    private static PfSnapshot poll(SimConfig kernel, AbiRelease reader) {
        SimulatedPf sim = new SimulatedPf(kernel, SimClock.manual(Instant.parse("2026-11-02T12:00:00Z")));
        return new PfReader(sim, reader, sim.clock()).poll();
    }

    @Test
    void aReadOnlyDescriptorAnswersUnknownRequestsWithEaccesAndThatIsAnAbiMismatch() {
        // pf's FWRITE check refuses unknown request numbers with EACCES on a read-only descriptor
        PfSnapshot s = poll(SimConfig.defaults().withRelease(AbiRelease.V8_0).withUnknownRequestErrno(Errno.EACCES), AbiRelease.V7_8);
        assertThat(s.status().isOk()).isTrue();
        PfError rules = s.errors().get(Subsystem.RULES);
        assertThat(rules.kind()).isEqualTo(PfError.Kind.ABI_MISMATCH);
        assertThat(rules.message()).contains("DIOCGETRULES", "EACCES", "OpenBSD 7.8", "pfmeter abi --release 7.8");
    }

    @Test
    void enottyIsAnAbiMismatchNamingTheIoctl() {
        PfSnapshot s = poll(SimConfig.defaults().withRelease(AbiRelease.V7_8), AbiRelease.V8_0);
        assertThat(s.errors().get(Subsystem.RULES).kind()).isEqualTo(PfError.Kind.ABI_MISMATCH);
        assertThat(s.errors().get(Subsystem.RULES).message()).contains("DIOCGETRULES failed with ENOTTY", "--abi");
    }

    @Test
    void queueStatisticsOfAnotherReleaseAreAnAbiMismatchBothWays() {
        PfSnapshot older = poll(SimConfig.defaults().withRelease(AbiRelease.V8_0), AbiRelease.V7_8);
        assertThat(older.errors().get(Subsystem.QUEUES).kind()).isEqualTo(PfError.Kind.ABI_MISMATCH);
        assertThat(older.errors().get(Subsystem.QUEUES).message()).contains("DIOCGETQSTATS", "232-byte");
        PfSnapshot newer = poll(SimConfig.defaults().withRelease(AbiRelease.V7_8), AbiRelease.V8_0);
        assertThat(newer.errors().get(Subsystem.QUEUES).kind()).isEqualTo(PfError.Kind.ABI_MISMATCH);
        assertThat(newer.errors().get(Subsystem.QUEUES).message()).contains("wrote 232 bytes", "272");
    }

    @Test
    void eaccesEverywhereIsAPermissionProblem() {
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults(), SimClock.manual(Instant.parse("2026-11-02T12:00:00Z")));
        sim.inject(Fault.EACCES);
        PfSnapshot s = new PfReader(sim, AbiRelease.V8_0, sim.clock()).poll();
        assertThat(s.errors()).hasSize(Subsystem.values().length - 1);    // no table named: table addresses not present
        assertThat(s.tableAddresses().isNotPresent()).isTrue();
        assertThat(s.errors().values()).allSatisfy(e -> assertThat(e.kind()).isEqualTo(PfError.Kind.PERMISSION));
    }
}
