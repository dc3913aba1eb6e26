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

    /**
     * A recording that reads the table after each poll (as {@code pfmeter record} does), replayed by a
     * reader with another history: it reads only the second poll's table, with a fresh buffer, so it
     * offers lengths the recording never offered. Each poll's breakdown equals the live one.
     */
    @Test
    void eachRecordedPollAnswersAReaderThatReadsItsTableWhenever() throws Exception {
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults().withRelease(AbiRelease.V8_0), SimClock.manual(START));
        sim.advance(Duration.ofHours(2));
        StringWriter out = new StringWriter();
        RecordingPfDevice rec = new RecordingPfDevice(sim, AbiRelease.V8_0, out, "amd64", START, null);
        StateBreakdownReader recorder = new StateBreakdownReader(rec, AbiRelease.V8_0, sim.clock());
        java.util.List<StateTableBreakdown> live = new java.util.ArrayList<>();
        for (int poll = 0; poll < 3; poll++) {
            if (poll > 0) {
                sim.inject(org.pfmeter.pf.sim.Fault.STATE_RAMP);     // the table grows from poll to poll
                sim.advance(Duration.ofMinutes(1));
            }
            rec.markPoll(sim.clock().instant());
            PfSnapshot s = new PfReader(rec, AbiRelease.V8_0, sim.clock()).poll();
            live.add(((StateBreakdownReader.Read) recorder.read(s.rules().value().orElseThrow(), 1_000_000, 10)).breakdown());
        }
        assertThat(live.get(2).states()).isGreaterThan(live.get(0).states());

        ReplayPfDevice replay = ReplayPfDevice.read("trace", new BufferedReader(new StringReader(out.toString())));
        StateBreakdownReader late = new StateBreakdownReader(replay, AbiRelease.V8_0, replay.recordedClock());
        StateBreakdownReader every = new StateBreakdownReader(replay, AbiRelease.V8_0, replay.recordedClock());
        for (int poll = 0; poll < 3; poll++) {
            PfSnapshot s = new PfReader(replay, AbiRelease.V8_0, replay.recordedClock()).poll();
            if (poll == 1) {
                StateBreakdownReader.Outcome o = late.read(s.rules().value().orElseThrow(), 1_000_000, 10);
                assertThat(o).isInstanceOf(StateBreakdownReader.Read.class);
                assertSame(((StateBreakdownReader.Read) o).breakdown(), live.get(1));
            }
            StateBreakdownReader.Outcome o = every.read(s.rules().value().orElseThrow(), 1_000_000, 10);
            assertThat(o).as("poll " + (poll + 1)).isInstanceOf(StateBreakdownReader.Read.class);
            assertSame(((StateBreakdownReader.Read) o).breakdown(), live.get(poll));
        }
    }

    private static void assertSame(StateTableBreakdown b, StateTableBreakdown live) {
        assertThat(b.states()).isEqualTo(live.states());
        assertThat(b.byLabel()).isEqualTo(live.byLabel());
        assertThat(b.unattributed()).isEqualTo(live.unattributed());
        assertThat(b.byInterface()).isEqualTo(live.byInterface());
        assertThat(b.byProtocol()).isEqualTo(live.byProtocol());
        assertThat(b.byTcpState()).isEqualTo(live.byTcpState());
        assertThat(b.age()).isEqualTo(live.age());
        assertThat(b.sources()).isEqualTo(live.sources());
        assertThat(b.destinations()).isEqualTo(live.destinations());
    }
}
