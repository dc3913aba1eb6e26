package org.pfmeter.pf.abi.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.FreeBsdPfReader;
import org.pfmeter.pf.SourceNodeOptions;
import org.pfmeter.pf.abi.PfProtocol;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.sim.Fault;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;
import org.pfmeter.pf.sim.freebsd.FreeBsdSimIoctl;
import org.pfmeter.pf.sim.freebsd.FreeBsdSimIoctlTraffic;

/**
 * The FreeBSD reader with /dev/pf beside netlink: interfaces and ALTQ queues from the simulated
 * FreeBSD ioctls, DIOCRGETTSTATS where the family lacks GET_TSTATS, ALTQ absent as not present.
 */
class FreeBsdPfReaderIoctlTest {

    static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    final SimulatedPf sim = new SimulatedPf(SimConfig.defaults(), SimClock.manual(START));

    FreeBsdPfReader reader(FreeBsdPfReaderTest.Kernel k, boolean altq) {
        sim.advance(Duration.ofHours(2));
        return new FreeBsdPfReader(new ScriptedNetlinkSocket(k::answer),
                new FreeBsdSimIoctl(new FreeBsdSimIoctlTraffic(sim, altq), "15.0-RELEASE"),
                FreeBsdPfReaderTest.CLOCK, PfProtocol.DEFAULT_BUSY_ATTEMPTS, SourceNodeOptions.DEFAULT);
    }

    @Test
    void interfacesAndAltqQueuesComeFromDevPf() {
        PfSnapshot s = reader(new FreeBsdPfReaderTest.Kernel(), true).poll();
        List<InterfaceCounters> ifs = s.interfaces().value().orElseThrow();
        assertThat(ifs).extracting(InterfaceCounters::name).contains("em0", "all");
        assertThat(ifs).filteredOn(InterfaceCounters::group).isNotEmpty();
        List<QueueStats> q = s.queues().value().orElseThrow();
        assertThat(q).extracting(QueueStats::name).contains("std");
        assertThat(s.tables().value().orElseThrow()).as("GET_TSTATS is in the family: read over netlink")
                .extracting(TableStats::name).containsExactly("blocklist", "allow");
        assertThat(s.errors()).isEmpty();
    }

    @Test
    void withoutGetTstatsTheTablesComeFromDiocrgettstats() throws Exception {
        FreeBsdPfReaderTest.Kernel k = new FreeBsdPfReaderTest.Kernel();
        k.ops = FreeBsdPfReaderTest.range(1, 28);
        PfSnapshot s = reader(k, true).poll();
        List<TableStats> t = s.tables().value().orElseThrow();
        List<TableStats> want = new PfProtocol(sim, sim.config().kernelRelease().abi()).readTables();
        assertThat(t).extracting(TableStats::name).containsExactlyElementsOf(want.stream().map(TableStats::name).toList());
    }

    @Test
    void aListedGetTstatsAnsweringEopnotsuppAlsoFallsBackToDiocrgettstats() {
        FreeBsdPfReaderTest.Kernel k = new FreeBsdPfReaderTest.Kernel();
        sim.advance(Duration.ofHours(2));
        FreeBsdPfReader r = new FreeBsdPfReader(new ScriptedNetlinkSocket(m -> m.type() != 16 && m.genlCmd() == 29
                ? List.of(HandFrame.nlmsgerr(m.seq(), 45, FreeBsdPfReaderTest.FAMILY)) : k.answer(m)),
                new FreeBsdSimIoctl(new FreeBsdSimIoctlTraffic(sim), "14.3-RELEASE"),
                FreeBsdPfReaderTest.CLOCK, PfProtocol.DEFAULT_BUSY_ATTEMPTS, SourceNodeOptions.DEFAULT);
        PfSnapshot s = r.poll();
        assertThat(s.tables().value().orElseThrow()).extracting(TableStats::name).doesNotContain("blocklist").isNotEmpty();
    }

    @Test
    void aKernelWithoutAltqHasNoQueuesAndNoError() {
        PfSnapshot s = reader(new FreeBsdPfReaderTest.Kernel(), false).poll();
        assertThat(s.queues().isNotPresent()).isTrue();
        assertThat(s.queues().error()).isEmpty();
        assertThat(s.interfaces().isOk()).isTrue();
        assertThat(s.errors()).isEmpty();
    }

    @Test
    void withoutADeviceInterfacesAndQueuesAreNotPresent() {
        PfSnapshot s = new FreeBsdPfReader(new ScriptedNetlinkSocket(new FreeBsdPfReaderTest.Kernel()::answer),
                FreeBsdPfReaderTest.CLOCK).poll();
        assertThat(s.interfaces().isNotPresent()).isTrue();
        assertThat(s.queues().isNotPresent()).isTrue();
        assertThat(s.errors()).isEmpty();
    }

    @Test
    void aRefusedDeviceIsAPermissionErrorOfItsSubsystemsOnly() {
        FreeBsdPfReader r = reader(new FreeBsdPfReaderTest.Kernel(), true);
        sim.inject(Fault.EACCES);
        PfSnapshot s = r.poll();
        PfError e = s.interfaces().error().orElseThrow();
        assertThat(e.kind()).isEqualTo(PfError.Kind.PERMISSION);
        assertThat(e.ioctl()).isEqualTo("DIOCIGETIFACES");
        assertThat(e.errnoName()).isEqualTo("EACCES");
        assertThat(s.queues().error().orElseThrow().ioctl()).isEqualTo("DIOCGETALTQSV1");
        assertThat(s.status().isOk()).as("netlink is not affected").isTrue();
    }

    @Test
    void withoutThePfFamilyTheIoctlSubsystemsAreStillRead() {
        FreeBsdPfReaderTest.Kernel k = new FreeBsdPfReaderTest.Kernel();
        k.registered = false;
        PfSnapshot s = reader(k, true).poll();
        assertThat(s.status().error().orElseThrow().kind()).isEqualTo(PfError.Kind.NO_DEVICE);
        assertThat(s.interfaces().isOk()).isTrue();
        assertThat(s.queues().isOk()).isTrue();
    }
}
