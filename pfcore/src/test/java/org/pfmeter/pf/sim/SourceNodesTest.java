package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.SourceNodeOptions;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.SourceNode;
import org.pfmeter.pf.model.SourceNodeKind;
import org.pfmeter.pf.model.SourceNodes;
import org.pfmeter.pf.trace.Redactor;
import org.pfmeter.pf.trace.RecordingPfDevice;
import org.pfmeter.pf.trace.ReplayPfDevice;

/** DIOCGETSRCNODES end to end: the simulator's nodes, read the way pfctl reads them, aggregated, equal to ground truth. */
class SourceNodesTest {

    private static PfReader reader(PfSimOrDevice d, AbiRelease r, SimulatedPf sim, SourceNodeOptions o) {
        return new PfReader(d.device(), r, sim.clock(), 5, o);
    }

    private record PfSimOrDevice(org.pfmeter.pf.abi.PfDevice device) {
    }

    @ParameterizedTest
    @EnumSource(AbiRelease.class)
    void theAggregatesEqualTheSimulatorsGroundTruth(AbiRelease release) {
        SimulatedPf sim = Sims.sim(SimConfig.defaults().withRelease(release));
        sim.advance(Duration.ofHours(5));
        PfSnapshot s = reader(new PfSimOrDevice(sim), release, sim, new SourceNodeOptions(10_000, 15)).poll();
        SourceNodes read = s.sourceNodes().value().orElseThrow();
        SourceNodes truth = sim.sourceNodeTruth(10_000, 15);
        assertThat(read).isEqualTo(truth);
        assertThat(read.nodes()).isGreaterThan(50);
        assertThat(read.skipped()).isFalse();
        assertThat(read.unattributed()).isZero();
        assertThat(read.top()).hasSize(15);
        // more than one kind, and the counts agree with what the rules and pf_status say
        assertThat(read.nodes(SourceNodeKind.NONE)).isPositive();
        assertThat(read.nodes(SourceNodeKind.NAT) + read.nodes(SourceNodeKind.RDR)).isPositive();
        assertThat(read.groups().stream().mapToLong(g -> g.nodes()).sum()).isEqualTo(read.nodes());
        List<RuleCounters> rules = s.rules().value().orElseThrow().rules();
        assertThat(rules.stream().mapToLong(RuleCounters::srcNodes).sum()).isEqualTo(read.nodes());
        assertThat(s.status().value().orElseThrow().srcNodes()).isEqualTo(read.nodes());
        assertThat(read.states()).isPositive();
        assertThat(read.connections()).isPositive().isLessThan(read.states());
        SourceNode first = read.top().get(0);
        assertThat(first.states()).isGreaterThanOrEqualTo(read.top().get(14).states());
    }

    @Test
    void sizeQueryThenTwiceThatAsPfctlDoes() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(3));
        CountingPfDevice counted = new CountingPfDevice(sim, AbiRelease.V8_0);
        PfSnapshot s = new PfReader(counted, AbiRelease.V8_0, sim.clock()).poll();
        assertThat(s.sourceNodes().isOk()).isTrue();
        assertThat(counted.count("DIOCGETSRCNODES")).isEqualTo(2);
    }

    /** A kernel whose node list grew after its size query: it reports {@code reported} bytes the first time. */
    private static org.pfmeter.pf.abi.PfDevice sizeQueryAnswering(SimulatedPf sim, long reported) {
        return new org.pfmeter.pf.abi.PfDevice() {
            @Override
            public int ioctl(org.pfmeter.pf.abi.IoctlCall call) {
                boolean query = call.name().equals("DIOCGETSRCNODES") && call.argument().getLong(0) == 0;
                int errno = sim.ioctl(call);
                if (query) {
                    call.argument().putLong(0, reported);
                }
                return errno;
            }

            @Override
            public String kernelRelease() {
                return sim.kernelRelease();
            }

            @Override
            public String describe() {
                return "grown";
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aListThatGrewAfterTheSizeQueryIsReadByDoublingUntilTheAnswerIsShorterThanTheBuffer() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(3));
        SourceNodes truth = sim.sourceNodeTruth(10_000, 10);
        assertThat(truth.nodes()).isGreaterThan(64);
        int size = AbiRelease.V8_0.abi().srcNode().size();
        CountingPfDevice counted = new CountingPfDevice(sizeQueryAnswering(sim, size), AbiRelease.V8_0);
        SourceNodes read = new PfReader(counted, AbiRelease.V8_0, sim.clock()).poll().sourceNodes().value().orElseThrow();
        assertThat(read).isEqualTo(truth);
        // 1 node reported: offers of 2, 4, 8, … nodes until one is not filled
        long reads = 64 - Long.numberOfLeadingZeros(truth.nodes());
        assertThat(counted.count("DIOCGETSRCNODES")).isEqualTo(1 + reads);
    }

    @Test
    void aSizeThatIsNoWholeNumberOfNodesIsAMalformedAnswer() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(3));
        PfSnapshot s = new PfReader(sizeQueryAnswering(sim, 151), AbiRelease.V8_0, sim.clock()).poll();
        assertThat(s.sourceNodes().error().orElseThrow().message()).contains("DIOCGETSRCNODES").contains("152");
        assertThat(s.rules().isOk()).isTrue();
    }

    @Test
    void aboveTheBoundOnlyTheCountIsAskedAndTheBreakdownSkipped() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(3));
        long all = sim.sourceNodeTruth(10_000, 0).nodes();
        CountingPfDevice counted = new CountingPfDevice(sim, AbiRelease.V8_0);
        SourceNodes read = new PfReader(counted, AbiRelease.V8_0, sim.clock(), 5, new SourceNodeOptions(all - 1, 10)).poll()
                .sourceNodes().value().orElseThrow();
        assertThat(counted.count("DIOCGETSRCNODES")).isEqualTo(1);
        assertThat(read.skipped()).isTrue();
        assertThat(read.nodes()).isEqualTo(all);
        assertThat(read.bound()).isEqualTo(all - 1);
        assertThat(read.groups()).isEmpty();
        assertThat(read.top()).isEmpty();
        assertThat(read).isEqualTo(sim.sourceNodeTruth(all - 1, 10));
    }

    @Test
    void aFreshFirewallWithoutStatesHasNoNodes() {
        SimulatedPf sim = Sims.small();
        SourceNodes read = Sims.reader(sim).poll().sourceNodes().value().orElseThrow();
        assertThat(read).isEqualTo(sim.sourceNodeTruth(10_000, 10));
    }

    @ParameterizedTest
    @EnumSource(AbiRelease.class)
    void recordedAndReplayedTheNodesAreTheSame(AbiRelease release) throws IOException {
        SimulatedPf sim = Sims.sim(SimConfig.defaults().withRelease(release));
        sim.advance(Duration.ofHours(2));
        StringWriter out = new StringWriter();
        RecordingPfDevice rec = new RecordingPfDevice(sim, release, out, "amd64", sim.clock().instant(), null);
        rec.markPoll(sim.clock().instant());
        SourceNodes live = new PfReader(rec, release, sim.clock()).poll().sourceNodes().value().orElseThrow();
        ReplayPfDevice replay = ReplayPfDevice.read("t", new BufferedReader(new StringReader(out.toString())));
        SourceNodes replayed = new PfReader(replay, release, replay.recordedClock()).poll().sourceNodes().value().orElseThrow();
        assertThat(replayed).isEqualTo(live);
        assertThat(live.nodes()).isPositive();
    }

    @Test
    void aRedactedTraceKeepsTheCountsButNotTheAddresses() throws IOException {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(2));
        StringWriter out = new StringWriter();
        RecordingPfDevice rec = new RecordingPfDevice(sim, AbiRelease.V8_0, out, "amd64", sim.clock().instant(), new Redactor());
        rec.markPoll(sim.clock().instant());
        new PfReader(rec, AbiRelease.V8_0, sim.clock()).poll();
        SourceNodes truth = sim.sourceNodeTruth(10_000, 10);
        ReplayPfDevice replay = ReplayPfDevice.read("t", new BufferedReader(new StringReader(out.toString())));
        SourceNodes replayed = new PfReader(replay, AbiRelease.V8_0, replay.recordedClock()).poll().sourceNodes().value().orElseThrow();
        assertThat(replayed.nodes()).isEqualTo(truth.nodes());
        assertThat(replayed.states()).isEqualTo(truth.states());
        assertThat(replayed.top()).extracting(SourceNode::states).isEqualTo(truth.top().stream().map(SourceNode::states).toList());
        assertThat(replayed.top()).allSatisfy(n -> assertThat(n.address()).matches("10\\..*|fd00:.*"));
        assertThat(out.toString()).doesNotContain("64400");  // 100.64.0.x as hex bytes never reaches the trace
    }
}
