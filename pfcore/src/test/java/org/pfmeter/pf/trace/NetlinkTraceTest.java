package org.pfmeter.pf.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.pf.FreeBsdPfReader;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.abi.netlink.NetlinkSocket;
import org.pfmeter.pf.abi.netlink.ScriptedFreeBsdKernel;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.TableStats;

/**
 * Netlink exchanges (FreeBSD's pf) recorded from the scripted kernel of the reader's tests and
 * replayed: the replayed polls decode to what the recorded ones did, poll by poll; redaction hides
 * names and addresses and keeps every counter; a broken trace is refused with its file and line.
 */
class NetlinkTraceTest {

    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    /** Records {@code polls} polls of the scripted kernel (its since moves by an hour in poll 2). */
    static String record(int polls, Redactor redactor) {
        StringWriter w = new StringWriter();
        RecordingNetlinkSocket rec = new RecordingNetlinkSocket(ScriptedFreeBsdKernel.socket(1_764_000_000L, 1_764_003_600L),
                FreeBsdRelease.FREEBSD_15_0, "15.0-RELEASE", w, "amd64", T0, Optional.empty(), redactor);
        FreeBsdPfReader reader = new FreeBsdPfReader(rec, CLOCK);
        for (int i = 0; i < polls; i++) {
            rec.markPoll(T0.plusSeconds(10L * i));
            assertThat(reader.poll().errors()).isEmpty();
        }
        rec.close();
        return w.toString();
    }

    static ReplayNetlinkSocket replay(String trace) throws IOException {
        return ReplayNetlinkSocket.read("t.jsonl", new BufferedReader(new StringReader(trace)));
    }

    @Test
    void aReplayedTraceDecodesAsTheKernelsAnswersDidPollByPoll() throws IOException {
        NetlinkSocket direct = ScriptedFreeBsdKernel.socket(1_764_000_000L, 1_764_003_600L);
        FreeBsdPfReader live = new FreeBsdPfReader(direct, CLOCK);
        PfSnapshot want1 = live.poll();
        PfSnapshot want2 = live.poll();

        ReplayNetlinkSocket replay = replay(record(2, null));
        assertThat(replay.pollCount()).isEqualTo(2);
        assertThat(replay.release()).isEqualTo(FreeBsdRelease.FREEBSD_15_0);
        FreeBsdPfReader reader = new FreeBsdPfReader(replay, replay.recordedClock());
        PfSnapshot got1 = reader.poll();
        PfSnapshot got2 = reader.poll();
        PfSnapshot again = reader.poll();

        for (PfSnapshot[] p : List.of(new PfSnapshot[] {want1, got1}, new PfSnapshot[] {want2, got2}, new PfSnapshot[] {want2, again})) {
            assertThat(p[1].errors()).isEmpty();
            assertThat(p[1].status()).isEqualTo(p[0].status());
            assertThat(p[1].limits()).isEqualTo(p[0].limits());
            assertThat(p[1].timeouts()).isEqualTo(p[0].timeouts());
            assertThat(p[1].rules()).isEqualTo(p[0].rules());
            assertThat(p[1].tables()).isEqualTo(p[0].tables());
            assertThat(p[1].sourceNodes()).isEqualTo(p[0].sourceNodes());
        }
        assertThat(got2.status().value().orElseThrow().since()).as("poll 2 is served second").isEqualTo(1_764_003_600L);
        assertThat(got1.takenAt()).as("the recorded poll times").isEqualTo(T0);
        assertThat(got2.takenAt()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void theTraceSaysWhatWasAskedAndFreeBsdsRelease() {
        String t = record(1, null);
        String[] lines = t.split("\n");
        assertThat(lines[0]).startsWith("{\"pfmeter_trace\":1,\"kernel_release\":\"15.0-RELEASE\",\"machine\":\"amd64\","
                + "\"abi\":\"freebsd-15.0\",");
        assertThat(lines[1]).isEqualTo("{\"poll\":1,\"at\":\"2026-12-03T10:00:00Z\"}");
        assertThat(lines[2]).startsWith("{\"seq\":1,\"netlink\":\"CTRL_CMD_GETFAMILY\",\"nlmsg_type\":16,\"cmd\":3,\"request\":\"");
        assertThat(lines[3]).startsWith("{\"reply\":1,\"datagram\":\"");
        assertThat(lines[4]).startsWith("{\"seq\":2,\"netlink\":\"PFNL_CMD_GET_STATUS\",\"nlmsg_type\":23,\"cmd\":11,");
        assertThat(t).contains("\"netlink\":\"PFNL_CMD_GETRULE\"", "\"netlink\":\"PFNL_CMD_GET_TSTATS\"");
    }

    @Test
    void redactionHidesLabelsTableNamesAndNodeAddressesAndKeepsTheCounters() throws IOException {
        String plain = record(1, null);
        String red = record(1, new Redactor());
        assertThat(red.split("\n")[0]).contains("\"redacted\":true");
        PfSnapshot p = new FreeBsdPfReader(replay(plain), CLOCK).poll();
        PfSnapshot r = new FreeBsdPfReader(replay(red), CLOCK).poll();
        assertThat(r.errors()).isEmpty();

        assertThat(r.rules().value().orElseThrow().labels()).extracting(LabelCounters::label)
                .containsExactlyInAnyOrder("label-1", "label-2", "label-1");
        assertThat(r.rules().value().orElseThrow().labels()).extracting(LabelCounters::bytesIn)
                .containsExactlyInAnyOrderElementsOf(p.rules().value().orElseThrow().labels().stream().map(LabelCounters::bytesIn).toList());
        assertThat(r.rules().value().orElseThrow().anchors()).as("anchors stay").containsExactly("", "ext");
        assertThat(r.tables().value().orElseThrow()).extracting(TableStats::name).containsExactly("table-1", "table-2");
        assertThat(r.tables().value().orElseThrow()).extracting(TableStats::anchor).containsExactly("", "ext");
        assertThat(r.status()).as("status holds no name pfmeter hides").isEqualTo(p.status());
        assertThat(r.sourceNodes().value().orElseThrow().nodes()).isEqualTo(p.sourceNodes().value().orElseThrow().nodes());
        assertThat(red).doesNotContain(hex("web"), hex("blocklist"), hex("allow"));
        assertThat(plain).contains(hex("blocklist"));
        // the scripted nodes are 192.0.0.5 and 192.0.0.7: gone, as distinct placeholders
        assertThat(plain).contains("c0000005");
        assertThat(red).doesNotContain("c0000005", "c0000007");
    }

    static String hex(String s) {
        return java.util.HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void aRequestTheTraceCannotAnswerFailsThatSubsystemByName() throws IOException {
        // keep only the family, the status and the limits: the rest cannot be answered
        StringBuilder cut = new StringBuilder();
        boolean keep = true;
        for (String l : record(1, null).split("\n")) {
            if (l.contains("\"netlink\":")) {
                keep = l.contains("GETFAMILY") || l.contains("GET_STATUS") || l.contains("GET_LIMIT");
            }
            if (keep || !l.contains("\"reply\"")) {
                if (keep || !l.contains("\"netlink\":")) {
                    cut.append(l).append('\n');
                }
            }
        }
        PfSnapshot s = new FreeBsdPfReader(replay(cut.toString()), CLOCK).poll();
        assertThat(s.status().isOk()).isTrue();
        assertThat(s.limits().isOk()).isTrue();
        assertThat(s.timeouts().error().orElseThrow().message())
                .contains("has no answer for PFNL_CMD_GET_TIMEOUT", "in poll 1 of 1");
    }

    @Test
    void aBrokenTraceIsRefusedWithItsFileAndLine() {
        String good = record(1, null);
        String[] l = good.split("\n");
        assertThatThrownBy(() -> replay(good.replace("\"datagram\":\"", "\"datagram\":\"zz")))
                .isInstanceOf(TraceException.class).hasMessageContaining("t.jsonl:4: \"datagram\" is not hex");
        assertThatThrownBy(() -> replay(l[0] + "\n" + l[1] + "\n" + l[3] + "\n"))
                .isInstanceOf(TraceException.class).hasMessageContaining("t.jsonl:3: a reply line without the request");
        assertThatThrownBy(() -> replay(l[0] + "\n" + l[1] + "\n" + l[2] + "\n" + "{\"reply\":1,\"datagram\":\"0800\"}\n"))
                .isInstanceOf(TraceException.class).hasMessageContaining("t.jsonl:4: \"datagram\" is not netlink");
        assertThatThrownBy(() -> replay(l[0] + "\n" + l[1] + "\n" + l[2].substring(0, 40) + "\n"))
                .isInstanceOf(TraceException.class).hasMessageContaining("t.jsonl:3 is not complete JSON");
        assertThatThrownBy(() -> replay(l[0].replace("freebsd-15.0", "freebsd-9.0") + "\n" + l[1] + "\n"))
                .isInstanceOf(TraceException.class).hasMessageContaining("t.jsonl:1: \"abi\" is \"freebsd-9.0\"");
        assertThatThrownBy(() -> replay(l[0] + "\n" + l[1] + "\n" + l[2].replace("\"cmd\":3", "\"cmd\":4") + "\n"))
                .isInstanceOf(TraceException.class).hasMessageContaining("t.jsonl:3: \"nlmsg_type\" 16 and \"cmd\" 4 disagree");
        assertThatThrownBy(() -> replay(l[0] + "\n{\"seq\":1,\"request\":\"DIOCGETSTATUS\",\"number\":1}\n"))
                .isInstanceOf(TraceException.class).hasMessageContaining("t.jsonl:2: unknown FreeBSD ioctl 'DIOCGETSTATUS'");
        assertThatThrownBy(() -> replay(l[0] + "\n{\"seq\":1,\"sysctl\":\"net.inet.pfsync.stats\"}\n"))
                .isInstanceOf(TraceException.class).hasMessageContaining("t.jsonl:2: not a netlink exchange");
    }

    @Test
    void aGzippedTraceOnDiskReplaysAndItsHeaderSaysFreeBsd(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("fb.jsonl.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(record(2, null).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(TraceHeader.read(f).isFreeBsd()).isTrue();
        try (ReplayNetlinkSocket r = ReplayNetlinkSocket.open(f)) {
            FreeBsdPfReader reader = new FreeBsdPfReader(r, r.recordedClock());
            assertThat(reader.poll().errors()).isEmpty();
            assertThat(reader.poll().status().value().orElseThrow().since()).isEqualTo(1_764_003_600L);
            assertThat(reader.poll().status().value().orElseThrow().since()).as("the last poll again").isEqualTo(1_764_003_600L);
        }
    }

    @Test
    void theLimitsOfIoctlTracesHoldForNetlinkTraces() {
        String[] l = record(1, null).split("\n");
        // a line longer than a trace line may be: refused before it is read
        String huge = "{\"reply\":1,\"datagram\":\"" + "00".repeat(TraceLimits.MAX_LINE_BYTES / 2) + "\"}";
        assertThatThrownBy(() -> replay(l[0] + "\n" + l[1] + "\n" + l[2] + "\n" + huge + "\n"))
                .isInstanceOf(TraceException.class).hasMessageContaining("t.jsonl:4 is longer than 24 MiB");
        // more polls than a trace may hold
        StringBuilder many = new StringBuilder(l[0]).append('\n');
        for (int i = 0; i <= TraceLimits.MAX_POLLS; i++) {
            many.append("{\"poll\":").append(i + 1).append(",\"at\":\"2026-12-03T10:00:00Z\"}\n").append(l[2]).append('\n')
                    .append(l[3]).append('\n');
        }
        assertThatThrownBy(() -> replay(many.toString())).isInstanceOf(TraceException.class)
                .hasMessageContaining(":" + (2 + 3 * TraceLimits.MAX_POLLS) + ": more than 10000 polls");
    }

    @Test
    void recordRefusesADatagramLargerThanATraceHolds() {
        NetlinkSocket giant = new NetlinkSocket() {
            @Override
            public void send(byte[] message) {
            }

            @Override
            public byte[] receive() {
                return new byte[TraceLimits.CHUNK_BYTES + 4];
            }

            @Override
            public String describe() {
                return "giant";
            }

            @Override
            public void close() {
            }
        };
        RecordingNetlinkSocket rec = new RecordingNetlinkSocket(giant, FreeBsdRelease.FREEBSD_14_3, "14.3-RELEASE", new StringWriter(),
                "amd64", T0, Optional.empty(), null);
        rec.markPoll(T0);
        rec.send(new byte[20]);
        assertThatThrownBy(rec::receive).isInstanceOf(TraceException.class)
                .hasMessageContaining("cannot record: a netlink datagram of 4194308 bytes, more than the 4 MiB");
        assertThat(rec.refused()).isPresent();
        assertThatThrownBy(() -> rec.markPoll(T0)).as("nothing is written after a refusal").isInstanceOf(TraceException.class);
    }
}
