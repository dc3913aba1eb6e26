package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.sim.Fault;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;

/**
 * {@code promtool check metrics} has nothing to say about what {@code /metrics} serves, in the
 * normal case, with a failing subsystem, with counters past 2^63 and with odd names. Needs promtool (Debian's
 * {@code prometheus} package); fails without it unless {@code -Dpfmeter.promtool.skip=true}.
 */
class PromtoolIT {

    @TempDir
    Path tmp;

    static Path promtool() {
        assumeFalse(Boolean.getBoolean("pfmeter.promtool.skip"), "promtool check skipped by -Dpfmeter.promtool.skip=true");
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError("promtool is not on the PATH: install it (apt-get install prometheus) "
                + "or skip this check explicitly with -Dpfmeter.promtool.skip=true");
    }

    static String check(Path promtool, String exposition) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return "exit " + p.exitValue() + (out.isBlank() ? "" : ": " + out);
    }

    @Test
    void promtoolFindsNothingToComplainAbout() throws Exception {
        Path promtool = promtool();
        try (TestDaemon t = TestDaemon.start(tmp.resolve("a"), "")) {
            t.daemon.poller().pollOnce();
            assertThat(check(promtool, t.get("/metrics").body())).isEqualTo("exit 0");
            t.pf.inject(Fault.BUSY_ALWAYS);
            t.clock.advance(Duration.ofSeconds(10));
            t.daemon.poller().pollOnce();
            assertThat(check(promtool, t.get("/metrics").body())).isEqualTo("exit 0");
        }
        try (TestDaemon t = TestDaemon.start(tmp.resolve("b"), "",
                new SimConfig(2, AbiRelease.V7_8, SimScale.SMALL).withCounterStart(SimConfig.NEAR_2_63))) {
            t.daemon.poller().pollOnce();
            assertThat(check(promtool, t.get("/metrics").body())).isEqualTo("exit 0");
        }
        // labels, tables, queues and anchors with quotes, backslashes, newlines, tabs and non-UTF-8 bytes
        try (TestDaemon t = TestDaemon.start(tmp.resolve("c"), "", OddNamesExportTest.ODD)) {
            t.daemon.poller().pollOnce();
            String body = t.get("/metrics").body();
            assertThat(body).contains("label=\"ntp\\nsecond line\ttab\"", "label=\"dns \\\"quoted\\\" back\\\\\\\\slash\"");
            assertThat(check(promtool, body)).isEqualTo("exit 0");
        }
    }

    /** The bills' families (billing.bills) too: quota, 95th percentile and volume bills. */
    @Test
    void promtoolFindsNothingToComplainAboutInTheBills() throws Exception {
        Path promtool = promtool();
        Path bills = Files.writeString(tmp.resolve("bills.conf"), """
                [bill acme]
                type   = quota
                quota  = 1G
                anchor = customers/acme

                [bill transit]
                type   = 95th
                commit = 1M
                label  = glob:egress-*

                [bill lan]
                type   = volume
                label  = glob:lan-*
                """);
        try (TestDaemon t = TestDaemon.start(tmp.resolve("d"), "billing.bills = " + bills + "\n")) {
            t.daemon.poller().pollOnce();
            t.clock.advance(Duration.ofMinutes(1));
            t.daemon.poller().pollOnce();
            String body = t.get("/metrics").body();
            assertThat(body).contains("pfmeter_bill_quota_usage_ratio{bill=\"acme\",}", "pfmeter_bill_burst_headroom_intervals{bill=\"transit\",}");
            assertThat(check(promtool, body)).isEqualTo("exit 0");
        }
    }
}
