package org.pfmeter.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pfmeter record} of the simulated FreeBSD writes its netlink exchanges and its /dev/pf ioctls
 * (interfaces, ALTQ) into one trace, and {@code show --replay} of that trace prints what
 * {@code show --simulate} prints for the same seed and time, interfaces and queues included.
 */
class FreeBsdTraceCliTest {

    static final List<String> SIMULATED = List.of("--simulate", "--sim-release", "freebsd-15.0");

    @TempDir
    Path tmp;

    static CliTest.Result run(List<String> head, List<String> tail) {
        List<String> args = new java.util.ArrayList<>(head);
        args.addAll(tail);
        return CliTest.run(args.toArray(new String[0]));
    }

    @Test
    void aRecordedSimulatedFreeBsdReplaysToWhatTheSimulatorShows() throws Exception {
        Path trace = tmp.resolve("freebsd.jsonl");
        CliTest.Result rec = run(List.of("record", "--out", trace.toString(), "--polls", "2"), SIMULATED);
        assertThat(rec.err()).isEmpty();
        assertThat(rec.code()).isZero();
        assertThat(rec.out()).contains("recorded 2 poll(s) of");
        String text = Files.readString(trace);
        assertThat(text).contains("\"dev_pf\":", "\"request\":\"DIOCIGETIFACES\"", "\"request\":\"DIOCGETALTQV1\"",
                "\"netlink\":\"PFNL_CMD_GET_STATUS\"");

        for (String what : List.of("interfaces", "queues", "labels", "info", "tables")) {
            CliTest.Result sim = run(List.of("show", what), SIMULATED);
            CliTest.Result replay = CliTest.run("show", what, "--replay", trace.toString());
            assertThat(sim.code()).as(what).isZero();
            assertThat(replay.err()).as(what).isEmpty();
            assertThat(replay.code()).as(what).isZero();
            assertThat(replay.out()).as(what).isEqualTo(sim.out());
        }
        CliTest.Result ifs = CliTest.run("show", "interfaces", "--replay", trace.toString());
        assertThat(ifs.out()).contains("em0").doesNotContain("not present");
        CliTest.Result queues = CliTest.run("show", "queues", "--replay", trace.toString());
        assertThat(queues.out()).contains("cust-acme").doesNotContain("not present");
    }

    @Test
    void aRedactedFreeBsdTraceRenamesQueuesAndKeepsInterfaces() throws Exception {
        Path trace = tmp.resolve("redacted.jsonl.gz");
        CliTest.Result rec = run(List.of("record", "--out", trace.toString(), "--redact"), SIMULATED);
        assertThat(rec.code()).isZero();
        CliTest.Result sim = run(List.of("show", "interfaces"), SIMULATED);
        CliTest.Result ifs = CliTest.run("show", "interfaces", "--replay", trace.toString());
        assertThat(ifs.code()).isZero();
        assertThat(ifs.out()).isEqualTo(sim.out());
        CliTest.Result queues = CliTest.run("show", "queues", "--replay", trace.toString());
        assertThat(queues.code()).isZero();
        assertThat(queues.out()).contains("queue-1").doesNotContain("cust-acme");
    }
}
