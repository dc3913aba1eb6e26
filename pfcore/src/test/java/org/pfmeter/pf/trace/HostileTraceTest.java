package org.pfmeter.pf.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfIoctl;
import org.pfmeter.pf.abi.PfrTstats;
import org.pfmeter.pf.abi.SysctlCall;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * Traces as an attacker or a broken disk would hand them over (issue 19, points 6 and 8): every one
 * is refused with its file and line, within a bounded buffer, and what pfmeter records it replays.
 */
class HostileTraceTest {

    private static final Instant START = Instant.parse("2026-11-02T08:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String record(int polls) {
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults(), SimClock.manual(START));
        StringWriter out = new StringWriter();
        RecordingPfDevice rec = new RecordingPfDevice(sim, AbiRelease.V8_0, out, "amd64", START, null);
        PfReader reader = new PfReader(rec, AbiRelease.V8_0, sim.clock());
        for (int i = 0; i < polls; i++) {
            rec.markPoll(sim.clock().instant());
            assertThat(reader.poll().complete()).isTrue();
            sim.advance(Duration.ofSeconds(10));
        }
        return out.toString();
    }

    private Path write(String name, String trace) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, trace, StandardCharsets.UTF_8);
        return f;
    }

    private static String header(String trace) {
        return trace.substring(0, trace.indexOf('\n') + 1);
    }

    /** The trace with line {@code n} (1-based) changed as JSON. */
    private static String edit(String trace, int n, UnaryOperator<ObjectNode> change) throws IOException {
        String[] lines = trace.split("\n");
        lines[n - 1] = JSON.writeValueAsString(change.apply((ObjectNode) JSON.readTree(lines[n - 1])));
        return String.join("\n", lines) + "\n";
    }

    /** The number of the first line holding {@code s}. */
    private static int lineOf(String trace, String s) {
        String[] lines = trace.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(s)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line holds " + s);
    }

    private void refused(String trace, int line, String... words) throws IOException {
        Path f = write("t-" + System.nanoTime() + ".jsonl", trace);
        assertThatThrownBy(() -> ReplayPfDevice.open(f)).isInstanceOf(TraceException.class)
                .hasMessageContaining(f + ":" + line).hasMessageContainingAll(words);
    }

    @Test
    void aGigabyteLineIsRefusedWithItsLineWithoutReadingIt() throws IOException {
        Path f = dir.resolve("gigabyte-line.jsonl");
        Files.writeString(f, header(record(1)) + "{\"seq\":1,\"request\":\"DIOCGETSTATUS\",\"arg\":\"", StandardCharsets.UTF_8);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(1L << 30);                 // sparse: a 1 GiB line of NULs that never ends
        }
        assertThatThrownBy(() -> ReplayPfDevice.open(f)).isInstanceOf(TraceException.class)
                .hasMessageContaining(f + ":2 is longer than 24 MiB").hasMessageContaining("record it again");
    }

    /** A gzip bomb: the same deflated member again and again (gzip readers read concatenated members). */
    private Path bomb(String name, String head, byte[] unit, int members) throws IOException {
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(member, 1 << 16)) {
            for (int i = 0; i < (64 << 20) / unit.length; i++) {
                gz.write(unit);
            }
        }
        Path f = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(f)) {
            ByteArrayOutputStream h = new ByteArrayOutputStream();
            try (OutputStream gz = new GZIPOutputStream(h)) {
                gz.write(head.getBytes(StandardCharsets.UTF_8));
            }
            h.writeTo(out);
            for (int i = 0; i < members; i++) {
                member.writeTo(out);
            }
        }
        return f;
    }

    @Test
    void aGzipBombOfOneEndlessLineIsRefusedAtTheLineLimit() throws IOException {
        byte[] zeros = new byte[1 << 16];
        Arrays.fill(zeros, (byte) '0');
        // 4.7 MB of gzip, 4.6 GB of hex digits on one line
        Path f = bomb("endless.jsonl.gz", header(record(1)) + "{\"seq\":1,\"request\":\"DIOCGETSTATUS\",\"arg\":\"", zeros, 72);
        assertThat(Files.size(f)).isBetween(4_000_000L, 6_000_000L);
        assertThatThrownBy(() -> ReplayPfDevice.open(f)).isInstanceOf(TraceException.class)
                .hasMessageContaining(f + ":2 is longer than 24 MiB");
    }

    @Test
    void aGzipBombOfManyLinesIsRefusedAtThePollLimit() throws IOException {
        String trace = record(1);
        byte[] blank = (" ".repeat(1023) + "\n").getBytes(StandardCharsets.US_ASCII);
        // 1.3 GB of blank lines after the first poll marker: more than a poll may hold
        Path f = bomb("many.jsonl.gz", trace.substring(0, trace.indexOf('\n', trace.indexOf("\"poll\"")) + 1), blank, 20);
        assertThatThrownBy(() -> ReplayPfDevice.open(f)).isInstanceOf(TraceException.class)
                .hasMessageContaining(f + ":").hasMessageContaining("poll 1 holds more than 1 GiB").hasMessageContaining("gzip bomb");
    }

    @Test
    void moreThanTenThousandPollsAreRefused() throws IOException {
        String trace = record(1);
        StringBuilder b = new StringBuilder(trace);
        for (int i = 0; i < TraceLimits.MAX_POLLS; i++) {
            b.append("{\"poll\":").append(i + 2).append(",\"at\":\"2026-11-02T08:00:10Z\"}\n");
        }
        int first = trace.split("\n").length + 1;
        refused(b.toString(), first + TraceLimits.MAX_POLLS - 1, "more than 10000 polls");
    }

    @Test
    void aBrokenHeaderTimeIsRefusedWithItsLine() throws IOException {
        String trace = record(1);
        refused(edit(trace, 1, h -> h.put("boot_time", "yesterday")), 1, "\"boot_time\" is \"yesterday\"", "ISO-8601");
        refused(edit(trace, 1, h -> h.put("taken_at", "2026-13-45")), 1, "\"taken_at\"", "ISO-8601");
    }

    @Test
    void aBrokenPointeeIsRefusedWithItsLine() throws IOException {
        String trace = record(1);
        int n = lineOf(trace, "\"pfiio_buffer\"");
        refused(edit(trace, n, l -> {
            ((ObjectNode) l.get("pointees")).put("pfiio_buffer", "zz");
            return l;
        }), n, "\"pointees.pfiio_buffer\" is not hex");
        refused(edit(trace, n, l -> {
            ((ObjectNode) l.get("pointees")).put("pfiio_buffer", 7);
            return l;
        }), n, "not a string of hex digits");
    }

    @Test
    void anErrnoThatIsNoErrnoIsRefusedNotReplayedAsSuccess() throws IOException {
        String trace = record(1);
        int n = lineOf(trace, "\"request\":\"DIOCGETLIMIT\"");
        refused(edit(trace, n, l -> l.put("errno", "ENOENT")), n, "DIOCGETLIMIT has errno \"ENOENT\"", "1..95");
        refused(edit(trace, n, l -> l.put("errno", 96)), n, "errno 96");
        refused(edit(trace, n, l -> l.put("errno", -1)), n, "errno -1");
        refused(edit(trace, n, l -> l.put("errno", 2.5)), n, "errno 2.5");
        refused(edit(trace, n, l -> {
            l.remove("errno");
            return l;
        }), n, "errno (none)");
        refused(edit(trace, n, l -> l.put("errno", 2)), n, "rc 0 with errno 2");
        int s = lineOf(trace, "\"sysctl\"");
        refused(edit(trace, s, l -> l.put("errno", "x")), s, "sysctl net.inet.pfsync.stats has errno \"x\"");
        // a real errno with rc -1 is an answer, as recorded
        String enoent = edit(trace, n, l -> l.put("errno", 2).put("rc", -1));
        PfSnapshot snap = new PfReader(ReplayPfDevice.open(write("enoent.jsonl", enoent)), AbiRelease.V8_0, SimClock.manual(START)).poll();
        assertThat(snap.limits().error().orElseThrow().message()).contains("DIOCGETLIMIT");
    }

    @Test
    void aContinuationOutOfPlaceIsRefused() throws IOException {
        String trace = record(1);
        int n = lineOf(trace, "\"request\":\"DIOCGETLIMIT\"");
        String[] lines = trace.split("\n");
        List<String> l = new ArrayList<>(Arrays.asList(lines));
        l.add(n, "{\"continues\":3,\"pointee\":\"psn_buf\",\"hex\":\"00\"}");
        refused(String.join("\n", l) + "\n", n + 1, "continuation of exchange 3 that does not follow its exchange");
    }

    /**
     * pfr_get_tstats() over many tables: a size query gets the count, a buffer large enough gets every
     * table. Everything else is the simulator's.
     */
    private static final class ManyTables implements PfDevice {
        private final SimulatedPf sim;
        private final PfAbi abi = AbiRelease.V8_0.abi();
        private final int tables;

        ManyTables(SimulatedPf sim, int tables) {
            this.sim = sim;
            this.tables = tables;
        }

        static TableStats table(int i) {
            long[] p = new long[8];
            long[] b = new long[8];
            p[0] = i;
            b[0] = 1000L * i;
            return new TableStats("", String.format("t-%05d", i), TableStats.PFR_TFLAG_PERSIST | TableStats.PFR_TFLAG_ACTIVE,
                    i % 100, i, 0, p, b, 1_700_000_000L, 1, 0);
        }

        @Override
        public int ioctl(IoctlCall call) {
            if (abi.ioctl(call.request()).orElse(null) != PfIoctl.DIOCRGETTSTATS) {
                return sim.ioctl(call);
            }
            CStruct s = abi.struct("pfioc_table");
            PfrTstats codec = abi.tstats();
            ByteBuffer a = call.argument();
            if (a.getInt(s.offset("pfrio_size")) < tables) {
                a.putInt(s.offset("pfrio_size"), tables);
                return 0;
            }
            ByteBuffer out = call.pointee(s.offset("pfrio_buffer")).orElseThrow().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < tables; i++) {
                codec.encode(table(i), out, i * codec.size());
            }
            a.putInt(s.offset("pfrio_size"), tables);
            return 0;
        }

        @Override
        public int sysctl(SysctlCall call) {
            return sim.sysctl(call);
        }

        @Override
        public String kernelRelease() {
            return sim.kernelRelease();
        }

        @Override
        public String describe() {
            return "many tables";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void moreThan7200TablesAreRecordedInPiecesAndReplayed() throws IOException {
        int n = 8_000;   // with the reader's eighth of headroom, 22 million hex digits in one buffer
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults(), SimClock.manual(START));
        Path f = dir.resolve("many-tables.jsonl.gz");
        try (var w = new java.io.OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(f)), StandardCharsets.UTF_8)) {
            RecordingPfDevice rec = new RecordingPfDevice(new ManyTables(sim, n), AbiRelease.V8_0, w, "amd64", START, null);
            rec.markPoll(START);
            PfSnapshot live = new PfReader(rec, AbiRelease.V8_0, sim.clock()).poll();
            assertThat(live.tables().value().orElseThrow()).hasSize(n);
            assertThat(rec.refused()).isEmpty();
        }
        int longest = 0;
        int continuations = 0;
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                longest = Math.max(longest, line.length());
                continuations += line.startsWith("{\"continues\"") ? 1 : 0;
            }
        }
        assertThat(longest).isLessThan(2 * TraceLimits.CHUNK_BYTES + 64 * 1024);
        assertThat(continuations).isEqualTo(2);   // 11.1 MB: a first chunk and two more

        List<TableStats> replayed = new PfReader(ReplayPfDevice.open(f), AbiRelease.V8_0, SimClock.manual(START)).poll()
                .tables().value().orElseThrow();
        assertThat(replayed).hasSize(n);
        for (int i : new int[] {0, 1, 4_095, 7_999}) {
            TableStats t = replayed.get(i);
            assertThat(t.name()).isEqualTo(ManyTables.table(i).name());
            assertThat(t.match()).isEqualTo(i);
            assertThat(t.bytes()[0]).isEqualTo(1000L * i);
        }
    }

    @Test
    void aTruncatedContinuationIsRefused() throws IOException {
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults(), SimClock.manual(START));
        StringWriter out = new StringWriter();
        RecordingPfDevice rec = new RecordingPfDevice(new ManyTables(sim, 8_000), AbiRelease.V8_0, out, "amd64", START, null);
        rec.markPoll(START);
        new PfReader(rec, AbiRelease.V8_0, sim.clock()).poll();
        String trace = out.toString();
        int first = lineOf(trace, "\"continued\"");
        String cut = trace.substring(0, trace.lastIndexOf("{\"continues\""));
        refused(cut, first, "pfrio_buffer announces 11092928 bytes", "the trace ends after 8388608");
    }

    @Test
    void recordRefusesABufferLargerThanATraceHolds() {
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults(), SimClock.manual(START));
        // 54,000 tables of 1,232 bytes with the reader's headroom: more than one buffer of a trace
        RecordingPfDevice rec = new RecordingPfDevice(new ManyTables(sim, 60_000), AbiRelease.V8_0, java.io.Writer.nullWriter(),
                "amd64", START, null);
        rec.markPoll(START);
        PfSnapshot s = new PfReader(rec, AbiRelease.V8_0, sim.clock()).poll();
        assertThat(rec.refused()).isPresent();
        assertThat(rec.refused().get().getMessage()).contains("DIOCRGETTSTATS answered", "more than the 64 MiB");
        assertThat(s.tables().error()).isPresent();
    }

    @Test
    void callsFarOutOfTheRecordedOrderAreAnsweredWithABoundedLookAhead() throws Exception {
        int n = 14_000;   // a 19 MB table buffer: more than the 16 MiB replay reads ahead
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults(), SimClock.manual(START));
        Path f = dir.resolve("out-of-order.jsonl.gz");
        PfSnapshot live;
        try (var w = new java.io.OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(f)), StandardCharsets.UTF_8)) {
            RecordingPfDevice rec = new RecordingPfDevice(new ManyTables(sim, n), AbiRelease.V8_0, w, "amd64", START, null);
            rec.markPoll(START);
            live = new PfReader(rec, AbiRelease.V8_0, sim.clock()).poll();
        }
        assertThat(live.complete()).isTrue();
        ReplayPfDevice replay = ReplayPfDevice.open(f);
        // the queues were read after the tables: asked first, they are found past the look-ahead
        var queues = new org.pfmeter.pf.abi.PfProtocol(replay, AbiRelease.V8_0.abi()).readQueues();
        assertThat(queues).isEqualTo(live.queues().value().orElseThrow());
        PfSnapshot again = new PfReader(replay, AbiRelease.V8_0, SimClock.manual(START)).poll();
        assertThat(again.tables().value().orElseThrow()).hasSize(n);
        assertThat(again.rules()).isEqualTo(live.rules());
        // each recorded exchange answers once: the queues were taken
        assertThat(again.queues().error().orElseThrow().message()).contains("no answer for DIOCGETQUEUES");
    }
}
