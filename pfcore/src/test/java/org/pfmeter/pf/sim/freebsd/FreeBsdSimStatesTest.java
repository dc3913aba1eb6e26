package org.pfmeter.pf.sim.freebsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.PfDeviceException;
import org.pfmeter.pf.abi.PfsyncState;
import org.pfmeter.pf.abi.StateTableReader;
import org.pfmeter.pf.abi.netlink.GenericNetlink;
import org.pfmeter.pf.abi.netlink.Netlink;
import org.pfmeter.pf.abi.netlink.NetlinkMessage;
import org.pfmeter.pf.abi.netlink.NetlinkRequest;
import org.pfmeter.pf.abi.netlink.NetlinkSocket;
import org.pfmeter.pf.abi.netlink.PfnlClient;
import org.pfmeter.pf.abi.netlink.PfnlLimiterWalk;
import org.pfmeter.pf.abi.netlink.PfnlStateTable;
import org.pfmeter.pf.abi.netlink.PfnlStates;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.model.StateTableBreakdown;
import org.pfmeter.pf.model.StateTableBreakdown.AddressCount;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;
import org.pfmeter.pf.sim.SimulatedPf;
import org.pfmeter.pf.sim.StatesGroundTruth;
import org.pfmeter.pf.states.StateBreakdownReader;

/**
 * The simulated FreeBSD kernel's GETSTATES and limiter answers, read by pfmeter's FreeBSD readers
 * (PfnlStateTable + the breakdown, PfnlLimiterWalk), equal the simulator's ground truth.
 */
class FreeBsdSimStatesTest {

    static final int FAMILY = 34;
    static final int PORT = 4242;
    static final Instant START = Instant.parse("2026-11-02T08:00:00Z");

    /** A socket whose kernel is the simulator: the controller, then GETSTATES and the limiter commands. */
    static final class SimSocket implements NetlinkSocket {
        final FreeBsdSimStates states;
        final FreeBsdSimLimiters limiters;
        final Deque<byte[]> pending = new ArrayDeque<>();
        final List<byte[]> received = new ArrayList<>();

        SimSocket(SimulatedPf sim) {
            this.states = new FreeBsdSimStates(sim, sim.config().kernelRelease());
            this.limiters = new FreeBsdSimLimiters(sim);
        }

        @Override
        public void send(byte[] message) {
            NetlinkMessage m = NetlinkMessage.parseAll(message).get(0);
            if (m.type() == GenericNetlink.GENL_ID_CTRL) {
                NetlinkRequest f = NetlinkRequest.genl(GenericNetlink.GENL_ID_CTRL, GenericNetlink.CTRL_CMD_NEWFAMILY, 2,
                                0, m.seq())
                        .putString(GenericNetlink.CTRL_ATTR_FAMILY_NAME, "pfctl")
                        .putU16(GenericNetlink.CTRL_ATTR_FAMILY_ID, FAMILY)
                        .putU32(GenericNetlink.CTRL_ATTR_VERSION, 2).putU32(GenericNetlink.CTRL_ATTR_HDRSIZE, 0)
                        .putU32(GenericNetlink.CTRL_ATTR_MAXATTR, 47).beginNested(GenericNetlink.CTRL_ATTR_OPS);
                int i = 1;
                for (int cmd : new int[] {1, 39, 40, 42, 43, 44, 45}) {
                    f.beginNested(i++).putU32(GenericNetlink.CTRL_ATTR_OP_ID, cmd)
                            .putU32(GenericNetlink.CTRL_ATTR_OP_FLAGS, 0xd).endNested();
                }
                pending.addAll(new FreeBsdSimStatesReply(m, PORT).add(f.endNested()).ack(0).chunks());
                return;
            }
            pending.addAll(m.genlCmd() == 1 ? states.answer(m, PORT) : limiters.answer(m, PORT));
        }

        @Override
        public byte[] receive() {
            if (pending.isEmpty()) {
                throw new PfDeviceException("nothing to receive");
            }
            byte[] b = pending.poll();
            received.add(b);
            return b;
        }

        @Override
        public String describe() {
            return "simulated FreeBSD netlink";
        }

        @Override
        public void close() {
        }
    }

    static SimulatedPf sim(SimScale scale) {
        return new SimulatedPf(new SimConfig(5, AbiRelease.V8_0, scale), SimClock.manual(START));
    }

    static Rules rules(SimulatedPf sim) {
        return new PfReader(sim, AbiRelease.V8_0, sim.clock()).poll().rules().value().orElseThrow();
    }

    private static List<Long> top(Map<String, Long> counts, int n) {
        return counts.values().stream().sorted(Comparator.reverseOrder()).limit(n).toList();
    }

    @Test
    void theBreakdownOfTheSimulatedFreeBsdTableEqualsTheGroundTruth() {
        SimulatedPf sim = sim(SimScale.SMALL);
        sim.advance(Duration.ofHours(3));
        Rules rules = rules(sim);
        SimSocket sock = new SimSocket(sim);
        StateBreakdownReader.Outcome o = new StateBreakdownReader(new PfnlStateTable(sock), sim.clock(), 1 << 16)
                .read(rules, 10_000_000, 10);
        assertThat(o).as("outcome %s", o).isInstanceOf(StateBreakdownReader.Read.class);
        StateTableBreakdown b = ((StateBreakdownReader.Read) o).breakdown();
        StatesGroundTruth t = sim.statesGroundTruth();

        assertThat(b.states()).isEqualTo(t.states()).isPositive();
        assertThat(b.unattributed()).isZero();
        assertThat(b.byLabel()).isEqualTo(t.byLabel());
        assertThat(b.byInterface()).isEqualTo(t.byInterface());
        assertThat(b.byProtocol()).isEqualTo(t.byProtocol());
        assertThat(b.byProtocol().keySet()).extracting(StateTableBreakdown.ProtocolFamily::family).contains("inet6");
        assertThat(b.byTcpState()).isEqualTo(t.byTcpState());
        assertThat(b.age().counts()).isEqualTo(t.ageCounts());
        assertThat(b.age().sumSeconds()).isEqualTo(t.ageSumSeconds());
        assertThat(b.sources().distinct()).isEqualTo(t.sourceStates().size());
        assertThat(b.destinations().distinct()).isEqualTo(t.destinationStates().size());
        assertThat(b.sources().byStates().stream().map(AddressCount::states).toList()).isEqualTo(top(t.sourceStates(), 10));
        assertThat(b.sources().byBytes().stream().map(AddressCount::bytes).toList()).isEqualTo(top(t.sourceBytes(), 10));
        for (AddressCount a : b.sources().byStates()) {
            assertThat(a).isEqualTo(new AddressCount(a.address(), t.sourceStates().get(a.address()),
                    t.sourceBytes().get(a.address())));
        }
    }

    @Test
    void theDumpIsFramedAsPfNlCWritesIt() {
        SimulatedPf sim = sim(SimScale.SMALL);
        sim.advance(Duration.ofHours(1));
        NetlinkMessage request = NetlinkMessage.parseAll(PfnlStates.request(FAMILY, 77)).get(0);
        List<byte[]> chunks = new FreeBsdSimStates(sim, AbiRelease.V8_0).answer(request, PORT);
        List<NetlinkMessage> all = new ArrayList<>();
        for (byte[] c : chunks) {
            List<NetlinkMessage> in = NetlinkMessage.parseAll(c);
            assertThat(c.length <= FreeBsdSimStatesReply.NLMBUFSIZE || in.size() == 1)
                    .as("a chunk holds what fits the writer's 2 KiB, or one larger message").isTrue();
            all.addAll(in);
        }
        NetlinkMessage last = all.get(all.size() - 1);
        assertThat(last.type()).isEqualTo(Netlink.NLMSG_DONE);
        assertThat(last.doneErrno()).isZero();
        assertThat(last.flags()).isZero();
        List<NetlinkMessage> states = all.subList(0, all.size() - 1);
        assertThat(states).hasSize((int) sim.statesGroundTruth().states());
        assertThat(states).allSatisfy(m -> {
            assertThat(m.type()).isEqualTo(FAMILY);
            assertThat(m.flags()).isEqualTo(request.flags() | Netlink.NLM_F_MULTI);
            assertThat(m.seq()).isEqualTo(77);
            assertThat(m.pid()).isEqualTo(PORT);
            assertThat(m.genlCmd()).isEqualTo(1);
        });

        // the first state, decoded back into OpenBSD's layout, is the simulator's own first pfsync_state
        PfnlStates.Decoder d = new PfnlStates.Decoder();
        d.decode(states.get(0), (buf, base) -> { });
        ByteBuffer mine = d.scratch();
        ByteBuffer[] theirs = new ByteBuffer[1];
        try {
            new StateTableReader(sim, AbiRelease.V8_0.abi()).read(Long.MAX_VALUE, new StateTableReader.StateSink() {
                @Override
                public void state(ByteBuffer b, int base) {
                    if (theirs[0] == null) {
                        byte[] copy = new byte[264];
                        b.get(base, copy);
                        theirs[0] = ByteBuffer.wrap(copy).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    }
                }
            });
        } catch (org.pfmeter.pf.abi.PfIoctlException e) {
            throw new AssertionError(e);
        }
        PfsyncState c = d.layout();
        ByteBuffer o = theirs[0];
        assertThat(c.ruleAndAnchor(mine, 0)).isEqualTo(c.ruleAndAnchor(o, 0));
        assertThat(c.afProtoDirection(mine, 0)).isEqualTo(c.afProtoDirection(o, 0));
        assertThat(c.creation(mine, 0)).isEqualTo(c.creation(o, 0));
        assertThat(c.expire(mine, 0)).isEqualTo(c.expire(o, 0));
        assertThat(c.bytesBothWays(mine, 0)).isEqualTo(c.bytesBothWays(o, 0));
        assertThat(c.packets(mine, 0, 1)).isEqualTo(c.packets(o, 0, 1));
        assertThat(c.ifname(mine, 0)).isEqualTo(c.ifname(o, 0));
        assertThat(c.srcState(mine, 0)).isEqualTo(c.srcState(o, 0));
        assertThat(c.dstState(mine, 0)).isEqualTo(c.dstState(o, 0));
        for (int i = 0; i < 2; i++) {
            byte[] x = new byte[16];
            byte[] y = new byte[16];
            mine.get(c.wireAddr(0, i), x);
            o.get(c.wireAddr(0, i), y);
            assertThat(x).isEqualTo(y);
            assertThat(c.wirePort(mine, 0, i)).isEqualTo(c.wirePort(o, 0, i));
        }
    }

    @Test
    void aFailingTableAnswersTheErrnoAndTheBreakdownFails() {
        SimulatedPf sim = sim(SimScale.SMALL);
        sim.advance(Duration.ofHours(1));
        sim.inject(org.pfmeter.pf.sim.Fault.EACCES);
        StateBreakdownReader.Outcome o = new StateBreakdownReader(new PfnlStateTable(new SimSocket(sim)), sim.clock(), 16)
                .read(null, 10_000_000, 5);
        assertThat(o).isInstanceOf(StateBreakdownReader.Failed.class);
        assertThat(((StateBreakdownReader.Failed) o).error().kind()).isEqualTo(org.pfmeter.pf.model.PfError.Kind.PERMISSION);
        assertThat(((StateBreakdownReader.Failed) o).error().errno()).isEqualTo(13);
    }

    @Test
    void theLimitersWalkedOverNetlinkEqualTheGroundTruth() throws Exception {
        SimulatedPf sim = sim(SimScale.SMALL);
        sim.advance(Duration.ofHours(5));
        SimSocket sock = new SimSocket(sim);
        PfnlLimiterWalk walk = new PfnlLimiterWalk(new PfnlClient(sock), FAMILY, 3);
        assertThat(walk.stateLimiters()).isEqualTo(sim.limiterTruth(10).stateLimiters()).hasSize(3);
        assertThat(walk.sourceLimiters(10)).isEqualTo(sim.limiterTruth(10).sourceLimiters());
        assertThat(walk.sourceLimiters(1000)).isEqualTo(sim.limiterTruth(1000).sourceLimiters());
        assertThat(sim.limiterTruth(10).sourceLimiters().get(1).sources().top()).isNotEmpty()
                .allSatisfy(e -> assertThat(e.address()).startsWith("2001:db8:"));
    }

    @Test
    void aMissingLimiterAnswersTheErrnoCapped() {
        SimulatedPf sim = sim(SimScale.SMALL);
        sim.advance(Duration.ofHours(1));
        NetlinkMessage get = NetlinkMessage.parseAll(NetlinkRequest.genl(FAMILY, 39, 0,
                Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, 9).putU32(3, 5).toBytes()).get(0);
        List<NetlinkMessage> answer = NetlinkMessage.parseAll(new FreeBsdSimLimiters(sim).answer(get, PORT).get(0));
        assertThat(answer).hasSize(1);
        assertThat(answer.get(0).type()).isEqualTo(Netlink.NLMSG_ERROR);
        assertThat(answer.get(0).flags()).isEqualTo(Netlink.NLM_F_CAPPED);
        assertThat(answer.get(0).errno()).as("no state limiter 5: ENOENT").isEqualTo(2);
        assertThat(answer.get(0).length()).isEqualTo(36);
    }
}
