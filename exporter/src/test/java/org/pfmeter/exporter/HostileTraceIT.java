package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, point 6, with the real jar in a 256 MiB heap: the documented {@code record --polls 3}
 * trace of the large firewall replays (all three polls, with a bounded heap), and a 1 GiB line and a
 * gzip bomb are refused with the file and line instead of ending in OutOfMemoryError.
 */
class HostileTraceIT {

    private static final List<String> SMALL_HEAP = List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError");

    @TempDir
    Path dir;

    @Test
    void aLargeThreePollTraceReplaysInA256MiBHeap() throws Exception {
        Path trace = dir.resolve("large.jsonl");
        PfmeterJar.Run rec = PfmeterJar.run(dir, "record", "--simulate", "--sim-scale", "large", "--polls", "3", "--out", trace.toString());
        assertThat(rec.code()).as(rec.err()).isZero();
        assertThat(Files.size(trace)).isGreaterThan(1_000_000_000L);   // 1.1 GB: 3 x 50,000 rules

        Path gc = dir.resolve("gc.log");
        List<String> jvm = List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-Xlog:gc:file=" + gc);
        PfmeterJar.Run show = PfmeterJar.run(dir, jvm, "show", "labels", "--replay", trace.toString());
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.out()).contains("customers/");
        // the heap that stays after a collection: a line and an exchange at a time, not the 1.1 GB trace
        assertThat(maxAfterGc(gc)).as(Files.readString(gc)).isLessThan(128);

        // every poll served in turn: recording the replay asks each of the three
        PfmeterJar.Run again = PfmeterJar.run(dir, SMALL_HEAP, "record", "--replay", trace.toString(), "--polls", "3",
                "--interval", "1s", "--out", "/dev/null");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).contains("recorded 3 poll(s) of trace " + trace + " (3 polls");
    }

    /** The largest heap in MiB left after a collection ("123M->45M(256M)"). */
    private static int maxAfterGc(Path gc) throws IOException {
        Matcher m = Pattern.compile("\\d+M->(\\d+)M\\(").matcher(Files.readString(gc));
        int max = 0;
        while (m.find()) {
            max = Math.max(max, Integer.parseInt(m.group(1)));
        }
        return max;
    }

    private String header() throws Exception {
        Path small = dir.resolve("small.jsonl");
        PfmeterJar.Run rec = PfmeterJar.run(dir, "record", "--simulate", "--out", small.toString());
        assertThat(rec.code()).as(rec.err()).isZero();
        String t = Files.readString(small);
        return t.substring(0, t.indexOf('\n') + 1);
    }

    @Test
    void aGigabyteLineIsRefusedWithItsFileAndLine() throws Exception {
        Path f = dir.resolve("gigabyte-line.jsonl");
        Files.writeString(f, header() + "{\"seq\":1,\"request\":\"DIOCGETSTATUS\",\"arg\":\"", StandardCharsets.UTF_8);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(1L << 30);                 // sparse: never on disk, never in the test's memory
        }
        PfmeterJar.Run r = PfmeterJar.run(dir, SMALL_HEAP, "show", "all", "--replay", f.toString());
        assertThat(r.code()).as(r.err()).isNotZero();
        assertThat(r.err()).contains(f + ":2 is longer than 24 MiB").contains("record it again").doesNotContain("OutOfMemoryError");
    }

    @Test
    void aGzipBombIsRefusedWithItsFileAndLine() throws Exception {
        byte[] hex = new byte[1 << 16];
        Arrays.fill(hex, (byte) '0');
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(member, 1 << 16)) {
            for (int i = 0; i < 1024; i++) {
                gz.write(hex);                       // 64 MiB of hex digits
            }
        }
        Path f = dir.resolve("bomb.jsonl.gz");
        try (OutputStream out = Files.newOutputStream(f)) {
            ByteArrayOutputStream h = new ByteArrayOutputStream();
            try (OutputStream gz = new GZIPOutputStream(h)) {
                gz.write((header() + "{\"seq\":1,\"request\":\"DIOCGETSTATUS\",\"arg\":\"").getBytes(StandardCharsets.UTF_8));
            }
            h.writeTo(out);
            for (int i = 0; i < 72; i++) {
                member.writeTo(out);                 // gzip members one after another: one endless line
            }
        }
        assertThat(Files.size(f)).isBetween(4_000_000L, 6_000_000L);
        PfmeterJar.Run r = PfmeterJar.run(dir, SMALL_HEAP, "show", "all", "--replay", f.toString());
        assertThat(r.code()).as(r.err()).isNotZero();
        assertThat(r.err()).contains(f + ":2 is longer than 24 MiB").doesNotContain("OutOfMemoryError");
    }

    @Test
    void recordRefusesMorePollsThanATraceHolds() throws Exception {
        PfmeterJar.Run r = PfmeterJar.run(dir, "record", "--simulate", "--polls", "10001", "--out", dir.resolve("t.jsonl").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--polls must be 1..10000");
    }
}
