package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfIoctl;
import org.pfmeter.pf.abi.PfsyncState;
import org.pfmeter.pf.abi.StateTableReader;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.model.StateTableBreakdown;
import org.pfmeter.pf.model.StateTableBreakdown.AddressCount;
import org.pfmeter.pf.states.StateBreakdownReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * DIOCGETSTATES end to end on the simulator: the breakdown decoded from the bytes equals the ground
 * truth aggregated from the simulated states' values, for every release; the buffer protocol is
 * pfctl's (size query, twice the size, grow when the table grew meanwhile); a table above the bound
 * is skipped after the size query alone.
 */
class StateTableTest {

    private static Rules rules(PfSnapshot s) {
        return s.rules().value().orElseThrow();
    }

    private static StateTableBreakdown read(SimulatedPf sim, AbiRelease release, Rules rules, int top) {
        StateBreakdownReader r = new StateBreakdownReader(sim, release, sim.clock());
        StateBreakdownReader.Outcome o = r.read(rules, 10_000_000, top);
        assertThat(o).as("outcome %s", o).isInstanceOf(StateBreakdownReader.Read.class);
        return ((StateBreakdownReader.Read) o).breakdown();
    }

    private static List<AddressCount> expectedTop(Map<String, Long> ranked, Map<String, Long> states, Map<String, Long> bytes, int n) {
        List<String> keys = new ArrayList<>(ranked.keySet());
        keys.sort(Comparator.comparing((String k) -> ranked.get(k)).reversed().thenComparing(k -> k));
        return keys.stream().limit(n).map(k -> new AddressCount(k, states.get(k), bytes.get(k))).toList();
    }

    private static void assertEqualsTruth(StateTableBreakdown b, StatesGroundTruth t, int top) {
        assertThat(b.states()).isEqualTo(t.states());
        assertThat(b.unattributed()).as("states whose rule could not be named").isZero();
        assertThat(b.byLabel()).isEqualTo(t.byLabel());
        assertThat(b.byInterface()).isEqualTo(t.byInterface());
        assertThat(b.byProtocol()).isEqualTo(t.byProtocol());
        assertThat(b.byTcpState()).isEqualTo(t.byTcpState());
        assertThat(b.age().counts()).isEqualTo(t.ageCounts());
        assertThat(b.age().sumSeconds()).isEqualTo(t.ageSumSeconds());
        assertThat(b.sources().exact()).isTrue();
        assertThat(b.sources().distinct()).isEqualTo(t.sourceStates().size());
        assertThat(b.destinations().distinct()).isEqualTo(t.destinationStates().size());
        // counts of the listed addresses are exact; equal counts may order differently than the
        // truth's string order, so compare the counts in order and each address's own figures
        assertThat(b.sources().byStates().stream().map(AddressCount::states).toList()).isEqualTo(
                expectedTop(t.sourceStates(), t.sourceStates(), t.sourceBytes(), top).stream().map(AddressCount::states).toList());
        assertThat(b.sources().byBytes().stream().map(AddressCount::bytes).toList()).isEqualTo(
                expectedTop(t.sourceBytes(), t.sourceStates(), t.sourceBytes(), top).stream().map(AddressCount::bytes).toList());
        assertThat(b.destinations().byStates().stream().map(AddressCount::states).toList()).isEqualTo(
                expectedTop(t.destinationStates(), t.destinationStates(), t.destinationBytes(), top).stream().map(AddressCount::states).toList());
        for (AddressCount a : b.sources().byStates()) {
            assertThat(a).isEqualTo(new AddressCount(a.address(), t.sourceStates().get(a.address()), t.sourceBytes().get(a.address())));
        }
        for (AddressCount a : b.destinations().byBytes()) {
            assertThat(a).isEqualTo(new AddressCount(a.address(), t.destinationStates().get(a.address()), t.destinationBytes().get(a.address())));
        }
    }

    @ParameterizedTest
    @EnumSource(AbiRelease.class)
    void theBreakdownOfTheSmallFirewallEqualsTheGroundTruth(AbiRelease release) {
        SimulatedPf sim = Sims.sim(new SimConfig(5, release, SimScale.SMALL));
        sim.advance(Duration.ofHours(3));
        PfSnapshot s = Sims.reader(sim).poll();
        StateTableBreakdown b = read(sim, release, rules(s), 10);
        StatesGroundTruth t = sim.statesGroundTruth();
        assertThat(t.states()).as("the table holds what DIOCGETSTATUS says").isEqualTo(Sims.status(s).states()).isPositive();
        assertEqualsTruth(b, t, 10);
        assertThat(b.byLabel().keySet()).as("labelled and unlabelled rules").anyMatch(k -> !k.label().isEmpty())
                .anyMatch(k -> !k.anchor().isEmpty());
        assertThat(b.byTcpState()).containsKey("ESTABLISHED:ESTABLISHED");
        assertThat(b.byProtocol().keySet()).extracting(StateTableBreakdown.ProtocolFamily::protocol).contains("tcp", "udp");
    }

    @Test
    void aLargeTableFilledByAnAttackNamesTheAttackersAndEqualsTheGroundTruth() {
        SimulatedPf sim = Sims.sim(new SimConfig(2, AbiRelease.V8_0, SimScale.LARGE));
        sim.advance(Duration.ofHours(1));
        sim.inject(Fault.STATE_RAMP);
        sim.advance(Duration.ofMinutes(11));
        PfSnapshot s = Sims.reader(sim).poll();
        StateTableBreakdown b = read(sim, AbiRelease.V8_0, rules(s), 20);
        StatesGroundTruth t = sim.statesGroundTruth();
        assertThat(t.states()).isEqualTo(100_000);
        assertEqualsTruth(b, t, 20);
        assertThat(b.sources().byStates().get(0).address()).startsWith("203.0.113.");
        // the attack's half-open states: pfctl prints an inbound state's peers dst:src
        assertThat(b.byTcpState().getOrDefault("CLOSED:SYN_SENT", 0L) + b.byTcpState().getOrDefault("SYN_SENT:CLOSED", 0L))
                .isGreaterThan(50_000);
        assertThat(b.bufferBytes()).as("pfctl's first offer: twice the size").isEqualTo(2L * 264 * 100_000);
    }

    @Test
    void withoutRulesEveryStateIsUnattributed() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(2));
        StateTableBreakdown b = read(sim, AbiRelease.V8_0, null, 5);
        assertThat(b.byLabel()).isEmpty();
        assertThat(b.unattributed()).isEqualTo(b.states()).isPositive();
    }

    /** Passes calls through and writes down DIOCGETSTATES' ps_len in and out; can run a hook after a call. */
    static final class Watching implements PfDevice {
        final SimulatedPf inner;
        final List<long[]> calls = new ArrayList<>();
        Runnable afterSizeQuery = () -> { };

        Watching(SimulatedPf inner) {
            this.inner = inner;
        }

        @Override
        public int ioctl(IoctlCall call) {
            boolean states = call.name().equals(PfIoctl.DIOCGETSTATES.name());
            long in = states ? call.argument().getLong(0) : -1;
            int errno = inner.ioctl(call);
            if (states) {
                calls.add(new long[] {in, call.argument().getLong(0), errno});
                if (in == 0) {
                    afterSizeQuery.run();
                }
            }
            return errno;
        }

        @Override
        public String kernelRelease() {
            return inner.kernelRelease();
        }

        @Override
        public String describe() {
            return "watching " + inner.describe();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void theBufferIsGrownAsPfctlDoesWhenTheTableGrowsBetweenTheCalls() throws Exception {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(2));
        Watching w = new Watching(sim);
        sim.inject(Fault.STATE_RAMP);
        // between the size query and the copy-out the attack more than doubles the table
        long before = sim.statesGroundTruth().states();
        w.afterSizeQuery = () -> sim.advance(Duration.ofMinutes(10));
        StateTableReader reader = new StateTableReader(w, AbiRelease.V8_0.abi());
        long[] seen = new long[1];
        StateTableReader.Result r = reader.read(1_000_000, (b, base) -> seen[0]++);
        long after = sim.statesGroundTruth().states();
        assertThat(after).isGreaterThan(2 * before);
        assertThat(r.states()).isEqualTo(after).isEqualTo(seen[0]);
        // size query, then 2 × the size; each answer that filled the offer (the table grew into it)
        // is followed by an offer twice as large, until one has room left
        assertThat(w.calls.get(0)).containsExactly(0, 264 * before, 0);
        long offer = 2 * 264 * before;
        for (int i = 1; i < w.calls.size() - 1; i++) {
            assertThat(w.calls.get(i)).as("call %d", i).containsExactly(offer, offer, 0);
            offer *= 2;
        }
        assertThat(w.calls.get(w.calls.size() - 1)).containsExactly(offer, 264 * after, 0);
        assertThat(264 * after + 16).isLessThan(offer);
        assertThat(w.calls).hasSizeGreaterThan(2);
    }

    @Test
    void aTableAboveTheBoundIsSkippedAfterTheSizeQuery() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(2));
        Watching w = new Watching(sim);
        long states = sim.statesGroundTruth().states();
        StateBreakdownReader r = new StateBreakdownReader(w, AbiRelease.V8_0, sim.clock());
        StateBreakdownReader.Outcome o = r.read(null, states - 1, 5);
        assertThat(o).isEqualTo(new StateBreakdownReader.Skipped(o.at(), states, states - 1));
        assertThat(w.calls).hasSize(1);
        assertThat(r.bufferBytes()).isZero();
    }

    @Test
    void anEmptyTableTakesOneCall() throws Exception {
        SimulatedPf sim = Sims.small();      // at the simulator's first second no connection exists yet
        Watching w = new Watching(sim);
        StateTableReader.Result r = new StateTableReader(w, AbiRelease.V8_0.abi()).read(100, (b, base) -> { });
        assertThat(r.states()).isZero();
        assertThat(w.calls).hasSize(1);
    }

    @Test
    void theKernelRefusesABufferItCannotWriteAndAnUnpermittedDescriptor() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(2));
        PfsyncState codec = AbiRelease.V8_0.abi().pfsyncState();
        ByteBuffer arg = org.pfmeter.pf.abi.NativeBytes.allocate(16);
        arg.putLong(codec.psLen, 10L * codec.size());
        long req = AbiRelease.V8_0.abi().request(PfIoctl.DIOCGETSTATES);
        assertThat(sim.ioctl(new IoctlCall("DIOCGETSTATES", req, arg, List.of()))).isEqualTo(Errno.EFAULT);
        sim.inject(Fault.EACCES);
        StateBreakdownReader.Outcome o = new StateBreakdownReader(sim, AbiRelease.V8_0, sim.clock()).read(null, 100_000, 5);
        assertThat(o).isInstanceOf(StateBreakdownReader.Failed.class);
        assertThat(((StateBreakdownReader.Failed) o).error().errno()).isEqualTo(Errno.EACCES);
    }

    @Test
    void aSecondReadReusesTheBufferAndTakesTwoCalls() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(2));
        Watching w = new Watching(sim);
        StateBreakdownReader r = new StateBreakdownReader(w, AbiRelease.V8_0, sim.clock());
        r.read(null, 100_000, 5);
        long buffer = r.bufferBytes();
        w.calls.clear();
        r.read(null, 100_000, 5);
        assertThat(w.calls).hasSize(2);
        assertThat(w.calls.get(1)[0]).isEqualTo(buffer);
    }

    /** A device whose DIOCGETSTATES answers whatever ps_len it is told to. */
    static PfDevice answering(long sizeQuery, long fill) {
        return new PfDevice() {
            @Override
            public int ioctl(IoctlCall call) {
                long in = call.argument().getLong(0);
                call.argument().putLong(0, in == 0 ? sizeQuery : fill);
                return 0;
            }

            @Override
            public String kernelRelease() {
                return "8.0";
            }

            @Override
            public String describe() {
                return "hostile";
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void hostileLengthsAreMalformedAnswersNotExceptions() {
        long[][] cases = {
            {263, 0},                       // not a whole state
            {-264, 0},                      // 2^64 - 264: far beyond any buffer
            {264 * 10, 264 * 10 * 2 + 264}, // more than was offered
            {264 * 10, 100},                // a part of a state
            {264L * 5_000_000, 0},          // twice that does not fit one buffer
        };
        for (long[] c : cases) {
            StateBreakdownReader.Outcome o = new StateBreakdownReader(answering(c[0], c[1]), AbiRelease.V8_0,
                    java.time.Clock.systemUTC()).read(null, Long.MAX_VALUE, 5);
            assertThat(o).as("ps_len %d then %d", c[0], c[1]).isInstanceOf(StateBreakdownReader.Failed.class);
            assertThat(((StateBreakdownReader.Failed) o).error().kind()).as("ps_len %d then %d", c[0], c[1])
                    .isEqualTo(org.pfmeter.pf.model.PfError.Kind.MALFORMED);
        }
    }
}
