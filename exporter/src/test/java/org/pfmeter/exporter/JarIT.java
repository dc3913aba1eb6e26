package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as an operator runs it: every command finds its classes, a recorded trace shows
 * exactly what the live simulator shows, and a simulated month bills what the simulator counted.
 */
class JarIT {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    private Run pfmeter(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "pfmeter.jar").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out-" + System.nanoTime());
        Path err = dir.resolve("err-" + System.nanoTime());
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("pfmeter %s finished", String.join(" ", args)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void aRecordedTraceShowsWhatTheSimulatorShows() throws Exception {
        Path trace = dir.resolve("t.jsonl");
        Run rec = pfmeter("record", "--simulate", "--out", trace.toString());
        assertThat(rec.code()).as(rec.err()).isZero();
        Run replayed = pfmeter("show", "all", "--replay", trace.toString());
        Run live = pfmeter("show", "all", "--simulate");
        assertThat(replayed.code()).as(replayed.err()).isZero();
        assertThat(live.code()).as(live.err()).isZero();
        assertThat(replayed.out()).isEqualTo(live.out()).contains("customers/acme:acme-web").contains("Status: Enabled for");
    }

    @Test
    void aSimulatedMonthIsBilledToTheByte() throws Exception {
        Path db = dir.resolve("db");
        Run sim = pfmeter("simulate", "--days", "3", "--db", db.toString(), "--poll-interval", "5m");
        assertThat(sim.code()).as(sim.err()).isZero();
        assertThat(sim.out()).contains("the ledger equals the ground truth to the byte");
        // the ground truth of one label, as simulate printed it
        String line = sim.out().lines().filter(l -> l.startsWith("customers/acme:acme-web ")).findFirst().orElseThrow();
        String[] f = line.trim().split("\\s+");
        long truthIn = Long.parseLong(f[1]);
        long truthOut = Long.parseLong(f[2]);
        Run bill = pfmeter("billing", "--month", "2026-10", "--db", db.toString(), "--format", "json",
                "--label", "customers/acme:acme-web");
        assertThat(bill.code()).as(bill.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(bill.out());
        assertThat(report.toString()).contains(String.valueOf(truthIn)).contains(String.valueOf(truthOut));
        Run badMonth = pfmeter("billing", "--month", "October", "--db", db.toString());
        assertThat(badMonth.code()).isEqualTo(2);
        assertThat(badMonth.err()).contains("YYYY-MM");
        Run usage = pfmeter("usage", "--month", "2026-10", "--db", db.toString(), "--label", "customers/acme:acme-web");
        assertThat(usage.code()).as(usage.err()).isZero();
        assertThat(usage.out().lines().count()).isGreaterThan(3 * 288);
    }
}
