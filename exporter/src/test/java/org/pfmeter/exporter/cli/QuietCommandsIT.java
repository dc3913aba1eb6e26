package org.pfmeter.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.PfmeterJar;

/**
 * The commands a user or cron runs print their output and nothing from the frameworks under them:
 * each runs as {@code java -jar pfmeter.jar} (the shaded jar), without the test's logging properties,
 * so slf4j-simple starts from pfmeter's own defaults.
 */
class QuietCommandsIT {

    /** What a framework's log line looks like: slf4j-simple's default layout, or a logger's name. */
    private static final List<String> FRAMEWORK = List.of("org.flywaydb", "Flyway", "Migrating schema", "Schema history",
            "DbMigrate", "DbValidate", "jetty", "Jetty", "org.h2", "h2database", "HikariPool", "[main] INFO", "[main] WARN",
            "INFO ");

    @TempDir
    Path tmp;

    PfmeterJar.Run pfmeter(List<String> jvm, String... args) throws IOException, InterruptedException {
        return PfmeterJar.run(tmp, jvm, args);
    }

    PfmeterJar.Run pfmeter(String... args) throws IOException, InterruptedException {
        return PfmeterJar.run(tmp, args);
    }

    static void noFrameworkLine(PfmeterJar.Run r) {
        for (String f : FRAMEWORK) {
            assertThat(r.err()).as("stderr").doesNotContain(f);
            assertThat(r.out()).as("stdout").doesNotContain(f);
        }
    }

    @Test
    void helpAndABareCommandPrintOnlyTheUsage() throws Exception {
        PfmeterJar.Run help = pfmeter("billing", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: pfmeter billing");
        assertThat(help.err()).isEmpty();
        noFrameworkLine(help);

        PfmeterJar.Run bare = pfmeter();
        assertThat(bare.code()).isEqualTo(2);
        assertThat(bare.err()).contains("Usage: pfmeter").contains("run").contains("billing").contains("simulate");
        noFrameworkLine(bare);
    }

    @Test
    void theAccountingCommandsPrintTheirOutputAndNoMigrationOrFrameworkLog() throws Exception {
        String data = tmp.resolve("data").toString();
        PfmeterJar.Run sim = pfmeter("simulate", "--days", "2", "--data-dir", data);
        assertThat(sim.code()).as(sim.err()).isZero();
        assertThat(sim.out()).contains("simulated 2 days");
        assertThat(sim.err()).as("no terminal: no progress either").isEmpty();
        noFrameworkLine(sim);

        // 2 simulated days of October: stderr carries the coverage warning and nothing else
        PfmeterJar.Run bill = pfmeter("billing", "--month", "2026-10", "--data-dir", data);
        assertThat(bill.code()).as(bill.err()).isZero();
        assertThat(bill.out()).isNotEmpty();
        assertThat(bill.err().lines()).singleElement().isEqualTo("pfmeter: warning: billing 2026-10: polled 6.5% of the"
                + " period (576 of 8928 slots: 2.0 of 31.0 days); gaps over 1h: 2026-10-03T00:00Z..2026-11-01T00:00Z;"
                + " the 95th percentile covers only the polled slots");
        noFrameworkLine(bill);

        PfmeterJar.Run usage = pfmeter("usage", "--month", "2026-10", "--label", "admin-ssh", "--data-dir", data);
        assertThat(usage.code()).as(usage.err()).isZero();
        assertThat(usage.err().lines()).singleElement().asString()
                .startsWith("pfmeter: warning: label admin-ssh: 2026-10: polled 6.5% of the period (576 of 8928 slots");
        noFrameworkLine(usage);

        // the matcher sees Flyway when it speaks: the same report with Flyway's logger turned back up
        PfmeterJar.Run loud = pfmeter(List.of("-Dorg.slf4j.simpleLogger.log.org.flywaydb=info"), "billing", "--month", "2026-10",
                "--data-dir", data);
        assertThat(loud.code()).isZero();
        // (billing only reads the schema version, it never migrates: Flyway says which database it looked at)
        assertThat(loud.err()).contains("INFO FlywayExecutor").doesNotContain("DbMigrate");
    }

    /**
     * At a terminal the progress line appears on stderr, also when stdout goes to a file: util-linux's
     * script(1) gives the command a pseudo-terminal, and the shell sends only stdout elsewhere.
     */
    @Test
    void progressIsDrawnWhenStderrIsATerminalEvenWithStdoutRedirected() throws Exception {
        Path typescript = tmp.resolve("typescript");
        Path report = tmp.resolve("report");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of("target", "pfmeter.jar").toAbsolutePath().toString();
        String command = "'" + java + "' -jar '" + jar + "' simulate --days 2 --data-dir '" + tmp.resolve("tty-data") + "' > '"
                + report + "'";
        Process p = new ProcessBuilder("script", "-q", "-e", "-c", command, typescript.toString())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("script(1) from util-linux runs the command").isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(report)).contains("simulated 2 days");
        assertThat(Files.readString(typescript)).contains("simulate: day ").contains("\r");
        assertThat(Files.readString(typescript)).as("the report went to the file only").doesNotContain("simulated 2 days");
    }

    @Test
    void pfCommandsPrintOnlyTheirOutput() throws Exception {
        PfmeterJar.Run show = pfmeter("show", "labels", "--simulate");
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.err()).isEmpty();
        noFrameworkLine(show);

        PfmeterJar.Run abi = pfmeter("abi", "--release", "8.0");
        assertThat(abi.code()).isZero();
        assertThat(abi.err()).isEmpty();

        PfmeterJar.Run rec = pfmeter("record", "--simulate", "--polls", "2", "--out", tmp.resolve("t.jsonl").toString());
        assertThat(rec.code()).as(rec.err()).isZero();
        assertThat(rec.out()).startsWith("recorded 2 poll(s)");
        assertThat(rec.err()).isEmpty();
    }
}
