package org.pfmeter.pf.sim.freebsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfIoctlException;
import org.pfmeter.pf.abi.PfProtocol;
import org.pfmeter.pf.abi.freebsd.FreeBsdAltq;
import org.pfmeter.pf.abi.freebsd.FreeBsdIoctl;
import org.pfmeter.pf.abi.freebsd.FreeBsdKif;
import org.pfmeter.pf.abi.freebsd.FreeBsdPfProtocol;
import org.pfmeter.pf.abi.freebsd.FreeBsdTstats;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.sim.Fault;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * The simulated FreeBSD ioctls read back by pfmeter's FreeBSD protocol match the traffic model as
 * the OpenBSD simulator's own ioctls report it, and every errno pfioctl() would give is given.
 */
class FreeBsdSimIoctlTest {

    static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    SimClock clock;
    SimulatedPf sim;
    FreeBsdSimIoctl dev;
    FreeBsdPfProtocol freebsd;
    PfProtocol openbsd;

    @BeforeEach
    void setUp() {
        clock = SimClock.manual(START);
        sim = new SimulatedPf(SimConfig.defaults(), clock);
        sim.advance(Duration.ofHours(5));
        dev = new FreeBsdSimIoctl(new FreeBsdSimIoctlTraffic(sim), "15.0-RELEASE");
        freebsd = new FreeBsdPfProtocol(dev, 3);
        openbsd = new PfProtocol(sim, sim.config().kernelRelease().abi());
    }

    @Test
    void interfacesAndGroupsAreTheTrafficModels() throws PfIoctlException {
        List<InterfaceCounters> got = freebsd.readInterfaces();
        List<InterfaceCounters> want = openbsd.readInterfaces();
        assertThat(got).extracting(InterfaceCounters::name).containsExactlyElementsOf(
                want.stream().map(InterfaceCounters::name).sorted().toList());
        Map<String, InterfaceCounters> byName = want.stream().collect(Collectors.toMap(InterfaceCounters::name, Function.identity()));
        assertThat(got).anySatisfy(i -> assertThat(i.group()).isTrue());
        for (InterfaceCounters g : got) {
            InterfaceCounters w = byName.get(g.name());
            assertThat(g.group()).as(g.name()).isEqualTo(w.group());
            assertThat(g.members()).as(g.name()).containsExactlyInAnyOrderElementsOf(w.members());
            assertThat(g.counters()).as(g.name()).isEqualTo(w.counters());
            assertThat(g.rules()).as(g.name()).isEqualTo(w.rules());
            assertThat(g.cleared()).as(g.name()).isEqualTo(w.cleared());
            assertThat(g.skipped()).as(g.name()).isEqualTo(w.skipped());
            assertThat(g.statesCounted()).as("FreeBSD keeps no per-kif state count").isFalse();
            assertThat(w.statesCounted()).isTrue();
        }
    }

    @Test
    void altqQueuesAreTheTrafficModelsQueues() throws PfIoctlException {
        List<QueueStats> got = freebsd.readQueues().orElseThrow();
        List<QueueStats> want = openbsd.readQueues();
        for (QueueStats w : want) {
            QueueStats g = w.kind() == QueueStats.Kind.FQ_CODEL
                    ? got.stream().filter(q -> q.kind() == QueueStats.Kind.CODEL && q.ifname().equals(w.ifname())).findFirst().orElseThrow()
                    : got.stream().filter(q -> q.name().equals(w.name()) && q.ifname().equals(w.ifname())).findFirst().orElseThrow();
            assertThat(g.transmittedPackets()).as(w.name()).isEqualTo(w.transmittedPackets());
            assertThat(g.transmittedBytes()).as(w.name()).isEqualTo(w.transmittedBytes());
            assertThat(g.droppedPackets()).as(w.name()).isEqualTo(w.droppedPackets());
            assertThat(g.droppedBytes()).as(w.name()).isEqualTo(w.droppedBytes());
            assertThat(g.length()).as(w.name()).isEqualTo(w.length());
            assertThat(g.limit()).as(w.name()).isEqualTo(w.limit());
            if (w.kind() == QueueStats.Kind.HFSC) {
                assertThat(g.qid()).isEqualTo(w.qid());
                assertThat(g.parent()).isEqualTo(w.parent());
                assertThat(g.bandwidth()).isEqualTo(w.bandwidth());
                assertThat(g.flags() & QueueStats.PFQS_DEFAULT).isEqualTo(w.flags() & QueueStats.PFQS_DEFAULT);
            }
        }
        assertThat(got).hasSameSizeAs(want);
        assertThat(got).extracting(QueueStats::kind).contains(QueueStats.Kind.HFSC, QueueStats.Kind.CODEL);
    }

    @Test
    void tablesAreTheTrafficModelsWithoutAMatchColumn() throws PfIoctlException {
        List<TableStats> got = freebsd.readTables();
        List<TableStats> want = openbsd.readTables();
        assertThat(got).hasSameSizeAs(want).isNotEmpty();
        for (int i = 0; i < got.size(); i++) {
            TableStats g = got.get(i);
            TableStats w = want.get(i);
            assertThat(g.name()).isEqualTo(w.name());
            assertThat(g.anchor()).isEqualTo(w.anchor());
            for (Direction d : Direction.values()) {
                for (TableAction a : new TableAction[] {TableAction.BLOCK, TableAction.PASS, TableAction.XPASS}) {
                    assertThat(g.packets(d, a)).isEqualTo(w.packets(d, a));
                    assertThat(g.bytes(d, a)).isEqualTo(w.bytes(d, a));
                }
                assertThat(g.packets(d, TableAction.MATCH)).isZero();
            }
            assertThat(g.addresses()).isEqualTo(w.addresses());
            assertThat(g.match()).isEqualTo(w.match());
            assertThat(g.cleared()).isEqualTo(w.cleared());
        }
    }

    @Test
    void countersMoveWithTheSimulatedClock() throws PfIoctlException {
        long before = freebsd.readQueues().orElseThrow().stream().mapToLong(QueueStats::transmittedBytes).sum();
        sim.advance(Duration.ofMinutes(10));
        long after = freebsd.readQueues().orElseThrow().stream().mapToLong(QueueStats::transmittedBytes).sum();
        assertThat(after).isGreaterThan(before);
    }

    // ---- the kernel's answers, byte for byte ----

    static IoctlCall call(FreeBsdIoctl io, ByteBuffer arg, String field, int offset, ByteBuffer buf) {
        return new IoctlCall(io.name(), io.request(), arg, buf == null ? List.of() : List.of(new IoctlCall.Pointee(field, offset, buf)));
    }

    static ByteBuffer ifaceArg(int esize, int size) {
        ByteBuffer a = NativeBytes.allocate(40);
        a.putInt(24, esize);                                // pfiio_esize
        a.putInt(28, size);                                 // pfiio_size
        return a;
    }

    @Test
    void aListLongerThanTheBufferReportsCapacityPlusOne() {
        ByteBuffer a = ifaceArg(216, 2);
        ByteBuffer buf = NativeBytes.allocate(2 * 216);
        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCIGETIFACES, a, "pfiio_buffer", 16, buf))).isZero();
        assertThat(a.getInt(28)).as("pfi_get_ifaces() counts one past the capacity and stops").isEqualTo(3);
        assertThat(FreeBsdKif.decode(buf, 216).name()).isNotEmpty();

        ByteBuffer all = ifaceArg(216, 64);
        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCIGETIFACES, all, "pfiio_buffer", 16, NativeBytes.allocate(64 * 216)))).isZero();
        assertThat(all.getInt(28)).isGreaterThan(3).isLessThan(64);

        ByteBuffer none = ifaceArg(216, 0);
        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCIGETIFACES, none, "pfiio_buffer", 16, null))).isZero();
        assertThat(none.getInt(28)).as("a zero capacity asks for the count").isEqualTo(1);
    }

    @Test
    void theIfaceErrnos() {
        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCIGETIFACES, ifaceArg(232, 4), "pfiio_buffer", 16, NativeBytes.allocate(4 * 232))))
                .as("an element size other than sizeof(struct pfi_kif)").isEqualTo(19);
        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCIGETIFACES, ifaceArg(216, 65536), "pfiio_buffer", 16, null)))
                .as("more than pf_ioctl_maxcount").isEqualTo(22);
        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCIGETIFACES, ifaceArg(216, 4), "pfiio_buffer", 16, NativeBytes.allocate(216))))
                .as("a buffer shorter than the capacity: copyout() faults").isEqualTo(14);
        assertThat(dev.ioctl(new IoctlCall("DIOCIGETIFACES", FreeBsdIoctl.DIOCIGETIFACES.request(), NativeBytes.allocate(48), List.of())))
                .isEqualTo(14);
        assertThat(dev.ioctl(new IoctlCall("DIOCGETSTATUS", 0xc1b04415L, NativeBytes.allocate(432), List.of())))
                .as("pfioctl()'s default").isEqualTo(19);
    }

    static ByteBuffer altqArg(long ticket, long nr) {
        ByteBuffer a = NativeBytes.allocate(304);
        a.putInt(4, (int) ticket);
        a.putInt(8, (int) nr);
        a.putInt(12, 1);
        return a;
    }

    static ByteBuffer qstatsArg(long ticket, long nr, int nbytes, int version) {
        ByteBuffer a = NativeBytes.allocate(32);
        a.putInt(0, (int) ticket);
        a.putInt(4, (int) nr);
        a.putInt(16, nbytes);
        a.putInt(24, version);
        return a;
    }

    @Test
    void theAltqErrnos() {
        ByteBuffer all = altqArg(0, 0);
        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCGETALTQSV1, all, "", 0, null))).isZero();
        long ticket = NativeBytes.u32(all, 4);
        long n = NativeBytes.u32(all, 8);
        assertThat(n).isGreaterThan(2);

        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCGETALTQV1, altqArg(ticket + 1, 0), "", 0, null))).as("stale ticket").isEqualTo(16);
        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCGETALTQV1, altqArg(ticket, n), "", 0, null))).as("past the list").isEqualTo(16);
        ByteBuffer first = altqArg(ticket, 0);
        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCGETALTQV1, first, "", 0, null))).isZero();
        FreeBsdAltq root = FreeBsdAltq.decode(first);
        assertThat(root.qid()).as("the interfaces' root entries come first").isZero();
        assertThat(root.qname()).isEmpty();

        ByteBuffer stats = NativeBytes.allocate(472);
        int hfsc = -1;
        for (int i = 0; i < n && hfsc < 0; i++) {
            ByteBuffer e = altqArg(ticket, i);
            dev.ioctl(call(FreeBsdIoctl.DIOCGETALTQV1, e, "", 0, null));
            FreeBsdAltq q = FreeBsdAltq.decode(e);
            if (q.qid() > 0 && q.scheduler() == FreeBsdAltq.ALTQT_HFSC) {
                hfsc = i;
            }
        }
        assertThat(hfsc).isPositive();
        if (root.scheduler() == FreeBsdAltq.ALTQT_HFSC) {
            assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCGETQSTATSV1, qstatsArg(ticket, 0, 472, 1), "buf", 8, stats)))
                    .as("a root entry has no class").isEqualTo(22);
        }
        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCGETQSTATSV1, qstatsArg(ticket, hfsc, 440, 1), "buf", 8, stats)))
                .as("nbytes below sizeof(struct hfsc_classstats_v1)").isEqualTo(22);
        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCGETQSTATSV1, qstatsArg(ticket, hfsc, 472, 7), "buf", 8, stats)))
                .as("a statistics version HFSC does not have").isEqualTo(22);
        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCGETQSTATSV1, qstatsArg(ticket + 1, hfsc, 472, 1), "buf", 8, stats)))
                .isEqualTo(16);
        ByteBuffer ok = qstatsArg(ticket, hfsc, 472, 1);
        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCGETQSTATSV1, ok, "buf", 8, stats))).isZero();
        assertThat(NativeBytes.u8(ok, 20)).as("scheduler").isEqualTo(8);
        assertThat(ok.getInt(16)).as("nbytes").isEqualTo(472);
    }

    @Test
    void aKernelWithoutAltqAnswersEnodevWhichIsNoQueuesNotAnError() throws PfIoctlException {
        FreeBsdSimIoctl noAltq = new FreeBsdSimIoctl(new FreeBsdSimIoctlTraffic(sim, false), "15.0-RELEASE");
        assertThat(noAltq.ioctl(call(FreeBsdIoctl.DIOCGETALTQSV1, altqArg(0, 0), "", 0, null))).isEqualTo(19);
        assertThat(noAltq.ioctl(call(FreeBsdIoctl.DIOCGETALTQV1, altqArg(0, 0), "", 0, null))).isEqualTo(19);
        assertThat(noAltq.ioctl(call(FreeBsdIoctl.DIOCGETQSTATSV1, qstatsArg(0, 0, 472, 1), "buf", 8, NativeBytes.allocate(472))))
                .isEqualTo(19);
        assertThat(new FreeBsdPfProtocol(noAltq, 3).readQueues()).isEmpty();
    }

    @Test
    void tableStatsTooManyForTheBufferReportTheCountAndCopyOutNoTable() {
        ByteBuffer a = NativeBytes.allocate(1104);
        a.putInt(1072, 1200);                               // pfrio_esize
        a.putInt(1076, 1);                                  // pfrio_size
        a.putInt(1096, 0x40);                               // PFR_FLAG_ALLRSETS
        ByteBuffer buf = NativeBytes.allocate(1200);
        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCRGETTSTATS, a, "pfrio_buffer", 1064, buf))).isZero();
        assertThat(a.getInt(1076)).isGreaterThan(1);
        assertThat(buf.array()).as("the unzeroed kernel buffer, not a table").isNotEqualTo(new byte[1200]);

        a.putInt(1072, 1232);                               // OpenBSD's sizeof(struct pfr_tstats)
        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCRGETTSTATS, a, "pfrio_buffer", 1064, buf))).isEqualTo(19);

        ByteBuffer anchor = NativeBytes.allocate(1104);
        anchor.put(0, (byte) 'z');                          // pfrt_anchor "z": no such ruleset
        anchor.putInt(1072, 1200);
        anchor.putInt(1076, 4);
        assertThat(dev.ioctl(call(FreeBsdIoctl.DIOCRGETTSTATS, anchor, "pfrio_buffer", 1064, NativeBytes.allocate(4 * 1200))))
                .isEqualTo(2);
        assertThat(FreeBsdTstats.SIZE).isEqualTo(1200);
    }

    @Test
    void aRefusingSimulatorRefusesTheFreeBsdIoctlsAlike() {
        sim.inject(Fault.EACCES);
        assertThatThrownBy(freebsd::readInterfaces).isInstanceOfSatisfying(PfIoctlException.class,
                e -> assertThat(e.error().kind()).isEqualTo(PfError.Kind.PERMISSION));
        assertThatThrownBy(freebsd::readQueues).isInstanceOf(PfIoctlException.class);
        sim.clear(Fault.EACCES);
        assertThat(dev.kernelRelease()).isEqualTo("15.0-RELEASE");
    }

    @Test
    void aLargeTopologyGrowsTheBufferAndFindsEveryKif() throws PfIoctlException {
        SimulatedPf large = new SimulatedPf(SimConfig.defaults().withScale(org.pfmeter.pf.sim.SimScale.LARGE), clock);
        FreeBsdPfProtocol p = new FreeBsdPfProtocol(new FreeBsdSimIoctl(new FreeBsdSimIoctlTraffic(large), "15.0-RELEASE"), 3);
        List<InterfaceCounters> got = p.readInterfaces();
        List<InterfaceCounters> want = new PfProtocol(large, large.config().kernelRelease().abi()).readInterfaces();
        assertThat(got).hasSize(want.size()).hasSizeGreaterThan(64);
        assertThat(got.stream().filter(InterfaceCounters::group).count())
                .isEqualTo(want.stream().filter(InterfaceCounters::group).count());
        assertThat(p.readQueues().orElseThrow()).isNotEmpty();
    }
}
