package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfIoctl;
import org.pfmeter.pf.abi.PfProtocol;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Subsystem;

/** The ticket protocol and buffer negotiation as PfReader drives them against the simulator. */
class ReaderProtocolTest {

    private static final PfAbi ABI = AbiRelease.V8_0.abi();

    @Test
    void everyTicketIsReleasedWithDiocxendPollAfterPoll() {
        SimulatedPf sim = Sims.small();
        CountingPfDevice dev = new CountingPfDevice(sim, AbiRelease.V8_0);
        PfReader reader = new PfReader(dev, AbiRelease.V8_0, sim.clock());
        for (int i = 0; i < 600; i++) {            // more walks than the 512 tickets a descriptor may hold
            assertThat(reader.poll().complete()).isTrue();
            sim.advance(Duration.ofSeconds(10));
        }
        assertThat(dev.count("DIOCGETRULES")).isEqualTo(600 * 6);
        assertThat(dev.released).isEqualTo(dev.issued);
        assertThat(sim.openTickets()).isZero();
        assertThat(dev.count("DIOCGETRULE", Errno.ENOENT)).as("each walk ends with ENOENT").isEqualTo(600 * 6);
    }

    @Test
    void aWalkThatFailsMidwayIsReleasedTooAndTheReaderStartsOver() {
        SimulatedPf sim = Sims.small();
        CountingPfDevice dev = new CountingPfDevice(sim, AbiRelease.V8_0);
        PfReader reader = new PfReader(dev, AbiRelease.V8_0, sim.clock());
        sim.advance(Duration.ofMinutes(5));
        sim.inject(Fault.BUSY_RULE_WALK);
        PfSnapshot s = reader.poll();
        assertThat(s.complete()).isTrue();
        assertThat(s.rules().value()).contains(sim.expected().rules());
        assertThat(dev.count("DIOCGETRULE", Errno.EBUSY)).isEqualTo(1);
        assertThat(dev.count("DIOCGETRULES")).as("one interrupted walk, then all six rulesets").isEqualTo(7);
        assertThat(dev.released).isEqualTo(dev.issued).hasSize(7);
        // the fault was used up: the next poll walks once
        reader.poll();
        assertThat(dev.count("DIOCGETRULES")).isEqualTo(13);
    }

    @Test
    void busyAlwaysExhaustsTheBoundedRestartsOfTheRulesOnly() {
        SimulatedPf sim = Sims.small();
        CountingPfDevice dev = new CountingPfDevice(sim, AbiRelease.V8_0);
        PfReader reader = new PfReader(dev, AbiRelease.V8_0, sim.clock());
        sim.inject(Fault.BUSY_ALWAYS);
        PfSnapshot s = reader.poll();
        assertThat(s.errors()).containsOnlyKeys(Subsystem.RULES);
        PfError e = s.errors().get(Subsystem.RULES);
        assertThat(e.kind()).isEqualTo(PfError.Kind.BUSY);
        assertThat(e.ioctl()).isEqualTo("DIOCGETRULE");
        assertThat(dev.count("DIOCGETRULES")).isEqualTo(PfProtocol.DEFAULT_BUSY_ATTEMPTS);
        assertThat(dev.released).isEqualTo(dev.issued).hasSize(PfProtocol.DEFAULT_BUSY_ATTEMPTS);
        assertThat(sim.openTickets()).isZero();
        sim.clear(Fault.BUSY_ALWAYS);
        assertThat(reader.poll().complete()).isTrue();
    }

    @Test
    void aDescriptorHoldsAtMost512WalksLikeTheKernel() {
        SimulatedPf sim = Sims.small();
        List<Long> tickets = new ArrayList<>();
        int ticketAt = ABI.struct("pfioc_rule").offset("ticket");
        for (int i = 0; i < 512; i++) {
            ByteBuffer b = NativeBytes.allocate(ABI.rule().size());
            assertThat(sim.ioctl(new IoctlCall("DIOCGETRULES", ABI.request(PfIoctl.DIOCGETRULES), b, List.of()))).isZero();
            tickets.add(NativeBytes.u32(b, ticketAt));
        }
        ByteBuffer more = NativeBytes.allocate(ABI.rule().size());
        assertThat(sim.ioctl(new IoctlCall("DIOCGETRULES", ABI.request(PfIoctl.DIOCGETRULES), more, List.of()))).isEqualTo(Errno.EBUSY);
        // a reader polling this descriptor now fails its rules with EBUSY, and the rest still arrives
        PfSnapshot s = Sims.reader(sim).poll();
        assertThat(s.errors()).containsOnlyKeys(Subsystem.RULES);
        assertThat(s.errors().get(Subsystem.RULES).errno()).isEqualTo(Errno.EBUSY);
        ByteBuffer end = NativeBytes.allocate(4);
        NativeBytes.putU32(end, 0, tickets.get(0));
        assertThat(sim.ioctl(new IoctlCall("DIOCXEND", ABI.request(PfIoctl.DIOCXEND), end, List.of()))).isZero();
        ByteBuffer again = NativeBytes.allocate(ABI.rule().size());
        assertThat(sim.ioctl(new IoctlCall("DIOCGETRULES", ABI.request(PfIoctl.DIOCGETRULES), again, List.of()))).isZero();
        assertThat(NativeBytes.u32(again, ticketAt)).as("the refused call took no ticket number").isEqualTo(513);
        sim.close();                                   // pfclose() drops the descriptor's transactions
        assertThat(sim.openTickets()).isZero();
    }

    /** Injects a fault into the simulator right after the n-th call of one request went by. */
    private static final class FaultAfter implements org.pfmeter.pf.abi.PfDevice {
        private final SimulatedPf sim;
        private final String request;
        private final Fault fault;
        private int left;

        FaultAfter(SimulatedPf sim, String request, int n, Fault fault) {
            this.sim = sim;
            this.request = request;
            this.left = n;
            this.fault = fault;
        }

        @Override
        public int ioctl(IoctlCall call) {
            int errno = sim.ioctl(call);
            if (call.name().equals(request) && --left == 0) {
                sim.inject(fault);
            }
            return errno;
        }

        @Override
        public String kernelRelease() {
            return sim.kernelRelease();
        }

        @Override
        public String describe() {
            return sim.describe();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aReloadDuringTheQueueWalkMakesTheReaderStartItOver() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofMinutes(3));
        CountingPfDevice dev = new CountingPfDevice(new FaultAfter(sim, "DIOCGETQSTATS", 3, Fault.RULESET_RELOAD), AbiRelease.V8_0);
        PfSnapshot s = new PfReader(dev, AbiRelease.V8_0, sim.clock()).poll();
        assertThat(s.complete()).isTrue();
        assertThat(dev.count("DIOCGETQUEUES")).isEqualTo(2);
        assertThat(dev.count("DIOCGETQSTATS", Errno.EBUSY)).isEqualTo(1);
        assertThat(s.queues().value()).contains(sim.expected().queues());
    }

    @Test
    void aReloadDuringTheRuleWalkMakesTheReaderStartItOver() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofMinutes(3));
        CountingPfDevice dev = new CountingPfDevice(new FaultAfter(sim, "DIOCGETRULE", 40, Fault.RULESET_RELOAD), AbiRelease.V8_0);
        PfSnapshot s = new PfReader(dev, AbiRelease.V8_0, sim.clock()).poll();
        assertThat(s.complete()).isTrue();
        assertThat(dev.count("DIOCGETRULE", Errno.EBUSY)).isEqualTo(1);
        assertThat(dev.released).isEqualTo(dev.issued);
        assertThat(s.rules().value()).contains(sim.expected().rules());
        assertThat(Sims.rules(s)).allSatisfy(r -> assertThat(r.bytesIn()).isZero());   // the new ruleset's counters
    }

    @Test
    void theReaderGrowsItsBuffersForManyInterfacesAndTables() {
        SimulatedPf sim = Sims.sim(SimConfig.defaults().withScale(SimScale.LARGE));
        CountingPfDevice dev = new CountingPfDevice(sim, AbiRelease.V8_0);
        PfSnapshot s = new PfReader(dev, AbiRelease.V8_0, sim.clock()).poll();
        assertThat(s.complete()).isTrue();
        assertThat(Sims.interfaces(s)).hasSize(256 + 5);
        // the unfiltered list: 64 → 128 → 256 → 512, each full answer ("== capacity") grown
        List<Long> capacities = dev.inputs("DIOCIGETIFACES");
        assertThat(capacities.subList(0, 4)).containsExactly(64L, 128L, 256L, 512L);
        // tables: a size query with 0, then the count it reported
        assertThat(dev.inputs("DIOCRGETTSTATS").get(0)).isZero();
        assertThat(dev.inputs("DIOCRGETTSTATS").get(1)).isGreaterThanOrEqualTo(1000L);
        assertThat(Sims.tables(s)).hasSize(1000);
        assertThat(dev.released).isEqualTo(dev.issued).hasSize(1 + 402);
    }
}
