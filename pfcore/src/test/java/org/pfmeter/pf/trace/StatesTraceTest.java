package org.pfmeter.pf.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.StateTableBreakdown;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;
import org.pfmeter.pf.states.StateBreakdownReader;

/** DIOCGETSTATES through a recorded trace: replay gives the breakdown the live read gave; redaction hides the addresses. */
class StatesTraceTest {

    private static final Instant START = Instant.parse("2026-11-02T08:00:00Z");

    private record Recorded(String trace, StateTableBreakdown live) {
    }

    private static Recorded record(AbiRelease release, Redactor redactor) {
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults().withRelease(release), SimClock.manual(START));
        sim.advance(Duration.ofHours(2));
        StringWriter out = new StringWriter();
        RecordingPfDevice rec = new RecordingPfDevice(sim, release, out, "amd64", START, redactor);
        rec.markPoll(sim.clock().instant());
        PfSnapshot s = new PfReader(rec, release, sim.clock()).poll();
        StateBreakdownReader.Outcome o = new StateBreakdownReader(rec, release, sim.clock()).read(s.rules().value().orElseThrow(), 1_000_000, 10);
        return new Recorded(out.toString(), ((StateBreakdownReader.Read) o).breakdown());
    }

    @ParameterizedTest
    @EnumSource(AbiRelease.class)
    void aReplayedStateTableGivesTheRecordedBreakdown(AbiRelease release) throws Exception {
        Recorded r = record(release, null);
        assertThat(r.trace()).contains("\"request\":\"DIOCGETSTATES\"").contains("\"ps_buf\"");
        ReplayPfDevice replay = ReplayPfDevice.read("trace", new BufferedReader(new StringReader(r.trace())));
        PfSnapshot s = new PfReader(replay, release, replay.recordedClock()).poll();
        StateBreakdownReader.Outcome o = new StateBreakdownReader(replay, release, replay.recordedClock())
                .read(s.rules().value().orElseThrow(), 1_000_000, 10);
        StateTableBreakdown b = ((StateBreakdownReader.Read) o).breakdown();
        assertThat(b.states()).isEqualTo(r.live().states()).isPositive();
        assertThat(b.byLabel()).isEqualTo(r.live().byLabel());
        assertThat(b.byTcpState()).isEqualTo(r.live().byTcpState());
        assertThat(b.sources()).isEqualTo(r.live().sources());
        assertThat(b.age()).isEqualTo(r.live().age());
    }

    @Test
    void aRedactedTraceKeepsTheCountsButNotTheAddresses() throws Exception {
        Recorded r = record(AbiRelease.V8_0, new Redactor());
        ReplayPfDevice replay = ReplayPfDevice.read("trace", new BufferedReader(new StringReader(r.trace())));
        PfSnapshot s = new PfReader(replay, AbiRelease.V8_0, replay.recordedClock()).poll();
        StateTableBreakdown b = ((StateBreakdownReader.Read) new StateBreakdownReader(replay, AbiRelease.V8_0,
                replay.recordedClock()).read(s.rules().value().orElseThrow(), 1_000_000, 10)).breakdown();
        assertThat(b.states()).isEqualTo(r.live().states());
        assertThat(b.byTcpState()).isEqualTo(r.live().byTcpState());
        assertThat(b.sources().distinct()).isLessThanOrEqualTo(2);   // 0.0.0.0 and ::
        assertThat(b.sources().byStates().get(0).address()).isIn("0.0.0.0", "::");
    }
}
