package org.pfmeter.pf.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.FreeBsdPfReader;
import org.pfmeter.pf.SourceNodeOptions;
import org.pfmeter.pf.abi.ForwardingPfDevice;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.freebsd.FreeBsdIoctl;
import org.pfmeter.pf.abi.freebsd.FreeBsdPfProtocol;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Subsystem;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimScale;
import org.pfmeter.pf.sim.freebsd.SimulatedFreeBsd;

/**
 * FreeBSD traces with /dev/pf: the simulated FreeBSD's netlink exchanges and binary ioctls
 * (interfaces, ALTQ, DIOCRGETTSTATS) recorded into one trace, interleaved in call order, and replayed
 * to the same snapshots, errnos included; a netlink-only trace still replays without a device.
 */
class FreeBsdIoctlTraceTest {

    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    /** What {@link #record} saw, poll by poll, and the trace it wrote. */
    record Recorded(List<PfSnapshot> snapshots, String trace) {
    }

    /** Records {@code polls} polls of a simulated FreeBSD, ten minutes apart; {@code wrap} may change its /dev/pf. */
    static Recorded record(FreeBsdRelease release, int polls, Redactor redactor, boolean withDevice,
                           java.util.function.UnaryOperator<PfDevice> wrap) {
        return record(release, polls, redactor, withDevice, wrap, false);
    }

    /** @param ioctlTables a kernel without PFNL_CMD_GET_TSTATS: tables are read with DIOCRGETTSTATS */
    static Recorded record(FreeBsdRelease release, int polls, Redactor redactor, boolean withDevice,
                           java.util.function.UnaryOperator<PfDevice> wrap, boolean ioctlTables) {
        SimClock clock = SimClock.manual(T0);
        SimulatedFreeBsd sim = new SimulatedFreeBsd(7, SimScale.SMALL, release, clock);
        if (ioctlTables) {
            sim.removeCommand(org.pfmeter.pf.abi.netlink.PfNl.Cmd.PFNL_CMD_GET_TSTATS);
        }
        StringWriter w = new StringWriter();
        RecordingNetlinkSocket rec = new RecordingNetlinkSocket(sim.netlink(),
                withDevice ? Optional.of(wrap.apply(sim.device())) : Optional.empty(), release, release.version(), w,
                "amd64", T0, sim.bootTime(), redactor);
        FreeBsdPfReader reader = new FreeBsdPfReader(rec, rec.device().orElse(null), clock, org.pfmeter.pf.abi.PfProtocol.DEFAULT_BUSY_ATTEMPTS,
                SourceNodeOptions.DEFAULT);
        List<PfSnapshot> seen = new ArrayList<>();
        for (int i = 0; i < polls; i++) {
            if (i > 0) {
                sim.advance(Duration.ofMinutes(10));
            }
            rec.markPoll(clock.instant());
            seen.add(reader.poll());
        }
        rec.close();
        return new Recorded(seen, w.toString());
    }

    static Recorded record(FreeBsdRelease release, int polls, Redactor redactor) {
        return record(release, polls, redactor, true, d -> d);
    }

    static ReplayNetlinkSocket replay(String trace) throws IOException {
        return ReplayNetlinkSocket.read("t.jsonl", new BufferedReader(new StringReader(trace)));
    }

    static List<PfSnapshot> replayPolls(ReplayNetlinkSocket replay, int polls) {
        FreeBsdPfReader reader = new FreeBsdPfReader(replay, replay.device().orElse(null), replay.recordedClock(),
                org.pfmeter.pf.abi.PfProtocol.DEFAULT_BUSY_ATTEMPTS, SourceNodeOptions.DEFAULT);
        List<PfSnapshot> got = new ArrayList<>();
        for (int i = 0; i < polls; i++) {
            got.add(reader.poll());
        }
        return got;
    }

    static List<JsonNode> lines(String trace) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : trace.split("\n")) {
            out.add(TraceEntries.JSON.readTree(l));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(FreeBsdRelease.class)
    void interfacesQueuesAndTablesReplayAsRecordedPollByPoll(FreeBsdRelease release) throws IOException {
        Recorded r = record(release, 2, null);
        ReplayNetlinkSocket replay = replay(r.trace());
        assertThat(replay.device()).isPresent();
        List<PfSnapshot> got = replayPolls(replay, 3);
        for (int i = 0; i < 3; i++) {
            PfSnapshot want = r.snapshots().get(Math.min(i, 1));     // after the last poll, the last again
            PfSnapshot g = got.get(i);
            assertThat(want.errors()).isEmpty();
            assertThat(g.errors()).isEmpty();
            assertThat(g.interfaces()).isEqualTo(want.interfaces());
            assertThat(g.queues()).isEqualTo(want.queues());
            assertThat(g.tables()).isEqualTo(want.tables());
            assertThat(g.status()).isEqualTo(want.status());
            assertThat(g.rules()).isEqualTo(want.rules());
            assertThat(g.takenAt()).isEqualTo(want.takenAt());
        }
        assertThat(r.snapshots().get(0).interfaces().value().orElseThrow()).isNotEmpty();
        assertThat(r.snapshots().get(0).queues().value().orElseThrow()).isNotEmpty();
        assertThat(got.get(1).interfaces()).as("poll 2's counters moved").isNotEqualTo(got.get(0).interfaces());
    }

    @Test
    void ioctlLinesSitBetweenTheNetlinkLinesInCallOrderAndEachPollIsMarkedOnce() throws IOException {
        List<JsonNode> l = lines(record(FreeBsdRelease.FREEBSD_15_0, 2, null).trace());
        JsonNode header = l.get(0);
        assertThat(header.path("pfmeter_trace").asInt()).as("still version 1").isEqualTo(TraceFormat.VERSION).isEqualTo(1);
        assertThat(header.path("dev_pf").asText()).isNotEmpty();
        assertThat(l.stream().filter(n -> n.has("poll")).map(n -> n.get("poll").asInt())).containsExactly(1, 2);
        List<String> order = new ArrayList<>();
        long lastSeq = 0;
        for (JsonNode n : l.subList(1, l.size())) {
            if (n.has("seq")) {
                assertThat(n.get("seq").asLong()).as("one seq for both kinds").isEqualTo(++lastSeq);
                order.add(n.has("netlink") ? n.get("netlink").asText() : n.get("request").asText());
            }
        }
        // in each poll: the status over netlink, ..., the interfaces on /dev/pf, more netlink, the ALTQ walk
        int status = order.indexOf("PFNL_CMD_GET_STATUS");
        int ifaces = order.indexOf("DIOCIGETIFACES");
        int altqs = order.indexOf("DIOCGETALTQSV1");
        assertThat(status).isLessThan(ifaces);
        assertThat(ifaces).isLessThan(altqs);
        assertThat(order.subList(ifaces, altqs)).contains("PFNL_CMD_GET_TSTATS");
        assertThat(order).contains("DIOCGETALTQV1", "DIOCGETQSTATSV1");
        JsonNode io = l.stream().filter(n -> "DIOCIGETIFACES".equals(n.path("request").asText())).findFirst().orElseThrow();
        assertThat(io.path("number").asLong()).isEqualTo(FreeBsdIoctl.DIOCIGETIFACES.request());
        assertThat(io.path("select").toString()).isEqualTo("{\"pfiio_name\":\"\",\"pfiio_esize\":216,\"pfiio_size\":64}");
        assertThat(io.path("arg").asText()).hasSize(2 * FreeBsdIoctl.DIOCIGETIFACES.argument().size());
        assertThat(io.path("pointees").path("pfiio_buffer").asText()).hasSize(2 * 216 * 64);
    }

    @Test
    void aNetlinkOnlyTraceStillReplaysWithoutDevPf() throws IOException {
        Recorded r = record(FreeBsdRelease.FREEBSD_15_0, 1, null, false, d -> d);
        assertThat(r.trace()).doesNotContain("dev_pf", "DIOCIGETIFACES");
        ReplayNetlinkSocket replay = replay(r.trace());
        assertThat(replay.device()).isEmpty();
        PfSnapshot got = replayPolls(replay, 1).get(0);
        assertThat(got.errors()).isEmpty();
        assertThat(got.interfaces().isNotPresent()).isTrue();
        assertThat(got.queues().isNotPresent()).isTrue();
        assertThat(got.status()).isEqualTo(r.snapshots().get(0).status());
    }

    /** A kernel built without ALTQ: pfioctl() answers the ALTQ requests with ENODEV. */
    static PfDevice withoutAltq(PfDevice d) {
        return new ForwardingPfDevice(d) {
            @Override
            public int ioctl(IoctlCall call) {
                return call.request() == FreeBsdIoctl.DIOCGETALTQSV1.request() ? FreeBsdPfProtocol.ENODEV : d.ioctl(call);
            }
        };
    }

    @Test
    void errnosAreRecordedAndReplayed() throws IOException {
        Recorded r = record(FreeBsdRelease.FREEBSD_15_0, 1, null, true, FreeBsdIoctlTraceTest::withoutAltq);
        assertThat(r.snapshots().get(0).queues().isNotPresent()).isTrue();
        JsonNode altqs = lines(r.trace()).stream().filter(n -> "DIOCGETALTQSV1".equals(n.path("request").asText()))
                .findFirst().orElseThrow();
        assertThat(altqs.path("rc").asInt()).isEqualTo(-1);
        assertThat(altqs.path("errno").asInt()).isEqualTo(FreeBsdPfProtocol.ENODEV);
        PfSnapshot got = replayPolls(replay(r.trace()), 1).get(0);
        assertThat(got.queues().isNotPresent()).as("ENODEV replayed: no ALTQ").isTrue();
        assertThat(got.queues()).isEqualTo(r.snapshots().get(0).queues());
        assertThat(got.interfaces()).isEqualTo(r.snapshots().get(0).interfaces());
    }

    @Test
    void tablesReadWithDiocrgettstatsReplay() throws IOException {
        Recorded r = record(FreeBsdRelease.FREEBSD_15_0, 2, null, true, d -> d, true);
        assertThat(r.trace()).contains("\"request\":\"DIOCRGETTSTATS\"").doesNotContain("PFNL_CMD_GET_TSTATS");
        List<PfSnapshot> got = replayPolls(replay(r.trace()), 2);
        for (int i = 0; i < 2; i++) {
            assertThat(got.get(i).errors()).isEmpty();
            assertThat(got.get(i).tables()).isEqualTo(r.snapshots().get(i).tables());
        }
        assertThat(got.get(0).tables().value().orElseThrow()).isNotEmpty();
    }

    @Test
    void redactionRenamesQueuesAndTablesOfTheIoctlsAndKeepsInterfaces() throws IOException {
        Recorded plain = record(FreeBsdRelease.FREEBSD_14_3, 1, null, true, d -> d, true);
        Recorded red = record(FreeBsdRelease.FREEBSD_14_3, 1, new Redactor(), true, d -> d, true);
        PfSnapshot want = plain.snapshots().get(0);
        PfSnapshot got = replayPolls(replay(red.trace()), 1).get(0);
        assertThat(got.errors()).isEmpty();
        assertThat(got.interfaces()).as("interface names stay, as in OpenBSD traces").isEqualTo(want.interfaces());
        var queues = got.queues().value().orElseThrow();
        assertThat(queues).usingRecursiveFieldByFieldElementComparatorIgnoringFields("name", "parent")
                .as("counters, interfaces and kinds stay").containsExactlyElementsOf(want.queues().value().orElseThrow());
        assertThat(queues).allSatisfy(q -> assertThat(q.name()).matches("(queue-\\d+)?"));   // CoDel on an interface: no name
        assertThat(queues).anySatisfy(q -> assertThat(q.parent()).matches("queue-\\d+"));
        // (a queue's name may also be an anchor's, and anchors stay: look at the ALTQ lines only)
        for (var q : want.queues().value().orElseThrow().stream().filter(q -> !q.name().isEmpty()).toList()) {
            assertThat(linesOf(plain.trace(), "DIOCGETALTQV1")).contains(NetlinkTraceTestHex.hex(q.name() + "\0"));
            assertThat(linesOf(red.trace(), "DIOCGETALTQV1")).doesNotContain(NetlinkTraceTestHex.hex(q.name() + "\0"));
        }
        var tables = got.tables().value().orElseThrow();
        assertThat(tables).isNotEmpty().allSatisfy(t -> assertThat(t.name()).matches("table-\\d+"));
        for (var t : want.tables().value().orElseThrow()) {
            assertThat(linesOf(plain.trace(), "DIOCRGETTSTATS")).contains(NetlinkTraceTestHex.hex(t.name() + "\0"));
            assertThat(linesOf(red.trace(), "DIOCRGETTSTATS")).doesNotContain(NetlinkTraceTestHex.hex(t.name() + "\0"));
        }
        assertThat(linesOf(red.trace(), "DIOCIGETIFACES")).contains(NetlinkTraceTestHex.hex("em0\0"));
    }

    static String linesOf(String trace, String request) {
        StringBuilder b = new StringBuilder();
        for (String l : trace.split("\n")) {
            if (l.contains("\"request\":\"" + request + "\"")) {
                b.append(l).append('\n');
            }
        }
        assertThat(b).as(request + " lines").isNotEmpty();
        return b.toString();
    }

    @Test
    void anIoctlTheTraceCannotAnswerFailsThatSubsystemByName() throws IOException {
        String trace = record(FreeBsdRelease.FREEBSD_15_0, 1, null).trace();
        StringBuilder without = new StringBuilder();
        for (String l : trace.split("\n")) {
            if (!l.contains("\"request\":\"DIOCIGETIFACES\"")) {
                without.append(l).append('\n');
            }
        }
        PfSnapshot got = replayPolls(replay(without.toString()), 1).get(0);
        assertThat(got.errors().get(Subsystem.INTERFACES).message())
                .contains("has no answer for DIOCIGETIFACES", "\"pfiio_size\":64", "in poll 1 of 1");
        assertThat(got.queues().value()).isPresent();
    }

    @Test
    void brokenIoctlLinesAreRefusedWithTheirFileAndLine() {
        String trace = record(FreeBsdRelease.FREEBSD_15_0, 1, null).trace();
        String[] l = trace.split("\n");
        int at = 0;
        while (!l[at].contains("\"request\":\"DIOCIGETIFACES\"")) {
            at++;
        }
        String line = l[at];
        String number = "\"number\":" + FreeBsdIoctl.DIOCIGETIFACES.request();
        assertThat(line).contains(number, "\"errno\":0");
        for (String[] c : new String[][] {
                {line.replace(number, "\"number\":1"), "has number 1 but FreeBSD's is"},
                {line.replace("\"errno\":0", "\"errno\":98"), "not 0 or a FreeBSD errno (1..97)"},
                {line.replace("\"rc\":0", "\"rc\":-1"), "has rc -1 with errno 0"},
                {line.replace("\"DIOCIGETIFACES\"", "\"DIOCGETSTATUS\""), "unknown FreeBSD ioctl 'DIOCGETSTATUS'"},
                {line.replace("\"pfiio_buffer\"", "\"psn_buf\""), "no pointer field \"psn_buf\""},
                {line.replace("\"arg\":\"", "\"arg\":\"00"), "argument has 41 bytes, struct pfioc_iface has 40"}}) {
            String[] broken = l.clone();
            broken[at] = c[0];
            assertThatThrownBy(() -> replay(String.join("\n", broken) + "\n")).as(c[1])
                    .isInstanceOf(TraceException.class).hasMessageContaining("t.jsonl:" + (at + 1) + ": ")
                    .hasMessageContaining(c[1]);
        }
    }

    /** Names as they would appear in a trace's hex. */
    static final class NetlinkTraceTestHex {
        static String hex(String s) {
            return java.util.HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }
}
