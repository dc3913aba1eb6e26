package org.pfmeter.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it (in process: {@link Main#run} is main without the exit). */
class CliTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @TempDir
    Path tmp;

    @Test
    void abiPrintsTheReleasesLayoutsAndRequestNumbersAsJson() throws Exception {
        Result r78 = run("abi", "--release", "7.8");
        assertThat(r78.code()).isZero();
        JsonNode j = new ObjectMapper().readTree(r78.out());
        assertThat(j.get("release").asText()).isEqualTo("7.8");
        assertThat(j.get("pfvar").asText()).isEqualTo("1.543");
        assertThat(j.at("/ioctls/DIOCGETRULES").asLong()).isEqualTo(3444589574L);
        assertThat(j.at("/structs/pfioc_rule/size").asInt()).isEqualTo(3408);
        assertThat(j.at("/structs/pf_status/fields/counters").asInt()).isZero();

        JsonNode j80 = new ObjectMapper().readTree(run("abi", "--release", "8.0").out());
        assertThat(j80.at("/ioctls/DIOCGETRULES").asLong()).isEqualTo(3445638150L);
        assertThat(j80.at("/structs/pf_rule/size").asInt()).isEqualTo(1360);
        assertThat(j80.at("/structs/pf_status/size").asInt()).isEqualTo(520);
        assertThat(j80.at("/ioctls/DIOCGETSTATUS").asLong()).isEqualTo(3255321621L);
        assertThat(j80.at("/ioctls/DIOCGETSRCNODES").asLong()).isEqualTo(3222291540L);
        assertThat(j80.at("/structs/pf_src_node/size").asInt()).isEqualTo(152);
        assertThat(j80.get("ioctls")).hasSize(22);             // 13 + DIOCGETSRCNODES + DIOCGETSTATES + DIOCRGETASTATS + the six limiter reads of pfvar.h 1.548
        assertThat(j80.at("/ioctls/DIOCGETNSOURCE").asLong()).isEqualTo(0xc040446cL);
        assertThat(j.at("/ioctls/DIOCGETNSOURCE").isMissingNode()).as("7.8 has no limiters").isTrue();
        assertThat(j80.at("/ioctls/DIOCGETSTATES").asLong()).isEqualTo(3222291481L);
        assertThat(j80.at("/ioctls/DIOCRGETASTATS").asLong()).isEqualTo(3293594695L);
        assertThat(j80.at("/structs/pfr_astats/size").asInt()).isEqualTo(160);
        assertThat(j80.at("/structs/pfsyncstats/size").asInt()).isEqualTo(128);
    }

    @Test
    void abiWithoutAReleaseOffOpenBsdPrintsEveryRelease() throws Exception {
        JsonNode all = new ObjectMapper().readTree(run("abi").out());
        assertThat(all.isArray()).isTrue();
        assertThat(all).extracting(n -> n.get("release").asText()).containsExactly("7.8", "7.9", "8.0");
        Result bad = run("abi", "--release", "6.9");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("supported releases: 7.8, 7.9, 8.0");
    }

    @Test
    void withoutPfShowFailsWithTheDevicesMessageAndNeverFakesData() {
        Result r = run("show", "--device", tmp.resolve("pf").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("this host has no pf").contains("--simulate");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void showInfoLooksLikePfctlSi() {
        Result r = run("show", "info", "-v", "--simulate", "--seed", "5");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Status: Enabled").contains("Debug: err")
                .contains("Hostid:   0x").contains("Checksum: 0x")
                .contains("State Table                          Total             Rate")
                .contains("Counters\n  match  ").contains("  state-mismatch ")
                .contains("Limit Counters\n  max states per rule ").contains("Source Tracking Table").contains("Fragments")
                .contains("Syncookies");
    }

    @Test
    void eachSectionHasItsPfctlLayout() {
        assertThat(run("show", "limits", "--simulate").out()).startsWith("states        hard limit    10000\n");
        assertThat(run("show", "timeouts", "--simulate").out())
                .startsWith("tcp.first                   120s\n")
                .contains("tcp.closed                   90s\ntcp.tsdiff                   30s\n")
                .contains("adaptive.start             6000 states\n");
        String labels = run("show", "labels", "--simulate").out();
        assertThat(labels.lines()).hasSize(36).allSatisfy(l -> assertThat(l.split(" ")).hasSizeGreaterThanOrEqualTo(9));
        assertThat(run("show", "interfaces", "--simulate").out()).contains("lo0 (skip)\n").contains("\tIn4/Pass:    [ Packets: ");
        assertThat(run("show", "tables", "--simulate").out()).contains("\tEvaluations: [ NoMatch: ").contains("\tOut/XPass:   [ Packets: ");
        assertThat(run("show", "queues", "--simulate").out()).contains("queue std parent rootq on em0").contains("  [ qlength: ");
    }

    @Test
    void showSourcesPrintsTheTopNodesAsPfctlSSourcesThenTheBreakdown() throws Exception {
        Result r = run("show", "sources", "--simulate", "--top", "3");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        for (String node : lines.subList(0, 3)) {
            assertThat(node).matches("\\d+\\.\\d+\\.\\d+\\.\\d+( (nat|rdr|route)-to \\S+)? \\( states \\d+, connections \\d+, rate \\d+\\.\\d/\\d+s \\)");
        }
        assertThat(lines.get(3)).matches("\\d+ source tracking nodes, \\d+ states, \\d+ connections; the 3 holding the most states above");
        assertThat(lines.get(4)).startsWith("anchor:label").contains("kind").contains("nodes");
        Result verbose = run("show", "sources", "-v", "--simulate", "--top", "2");
        assertThat(verbose.out().lines().toList().get(1)).matches("   age \\d\\d:\\d\\d:\\d\\d, \\d+ pkts, \\d+ bytes, rule \\d+");

        Path conf = Files.writeString(tmp.resolve("pfmeter.conf"), "source-nodes.max = 5\n");
        Result skipped = run("show", "sources", "--simulate", "--config", conf.toString());
        assertThat(skipped.code()).isZero();
        assertThat(skipped.out()).matches("(?s)\\d+ source tracking nodes, more than source-nodes.max \\(5\\): only their count was read\n");

        Result bad = run("show", "sources", "--simulate", "--top", "-1");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--top");
    }

    @Test
    void showLimitersPrintsTheLimitersInPfConfGrammarAndSaysNotPresentOnSevenEight() throws Exception {
        Result r = run("show", "limiters", "--simulate");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("state limiter \"lan-states\" id 1 limit ")
                .contains("state limiter \"guest-states\" id 7 limit ").contains(" rate 50/5\n")
                .contains("source limiter \"per-mailer\" id 4 entries 16 limit ").contains(" table <abusers> above ")
                .contains("  [ nentries: ").contains("  [ addrallocs: ")
                .doesNotContain("most states first").doesNotContain("198.18.");
        String v = run("show", "limiters", "-v", "--simulate").out();
        assertThat(v).contains("10 of 48 address entries, most states first:\n    198.18.").contains("    2001:db8:");
        Path two = Files.writeString(tmp.resolve("limiters.conf"), "limiters.top = 2\n");
        String fewer = run("show", "limiters", "-v", "--simulate", "--config", two.toString()).out();
        assertThat(fewer).contains("2 of 48 address entries, most states first:\n    198.18.")
                .doesNotContain("10 of 48 address entries");
        Result old = run("show", "limiters", "--simulate", "--sim-release", "7.8");
        assertThat(old.code()).isZero();
        assertThat(old.out()).isEqualTo("not present: pf of OpenBSD 7.8 has no state limiters\n"
                + "not present: pf of OpenBSD 7.8 has no source limiters\n");
    }

    @Test
    void showTableAddressesPrintsEachNamedTableAsPfctlTableShowVerbose() {
        Result r = run("show", "table-addresses", "--simulate", "--table-addresses", "customers/acme:acme-nets, admins, nope");
        assertThat(r.code()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).isEqualTo("table <acme-nets> in anchor customers/acme: 12 addresses");
        assertThat(lines[1]).matches("   10\\.[0-9.]+");
        assertThat(lines[2]).startsWith("\tCleared:     ");
        assertThat(lines[3]).matches("\tIn/Block:    \\[ Packets: [0-9 ]{18} Bytes: [0-9 ]{18} \\]");
        assertThat(r.out()).contains("\tOut/Pass:    [ Packets: ").doesNotContain("XPass")
                .containsPattern("\n  !10\\.[0-9.]+\n\tCleared:     [^\n]+\n   ")      // negated: never counted, no counter lines
                .contains("table <admins>: 4 addresses\n")
                .contains("table <nope>: Table does not exist.\n");
        assertThat(run("show", "table-addresses", "--simulate").out()).startsWith("no table named: give --table-addresses");
        assertThat(run("show", "table-addresses", "--simulate", "--table-addresses", "<x>").err()).contains("is not a table name");
    }

    @Test
    void showPfsyncPrintsAsNetstatAndSaysWhenPfsyncIsNotConfigured() {
        String out = run("show", "pfsync", "--simulate").out();
        assertThat(out).startsWith("pfsync:\n\t").containsPattern("\n\t[0-9]+ packets sent \\(IPv4\\)\n")
                .contains("\t0 packets received (IPv6)\n").contains(" discarded for bad HMAC\n\t\t0 packets discarded for bad action\n")
                .containsPattern("\t\t[0-9]+ send error\n$");
        assertThat(out.lines()).hasSize(17);
        assertThat(run("show", "pfsync", "--simulate", "--sim-pfsync", "false").out())
                .isEqualTo("not present: pfsync is not configured: there is no pfsync0 interface\n");
    }

    @Test
    void aFailingSubsystemPrintsItsErrorInItsSectionAndExitsNonZero() {
        Result r = run("show", "all", "--simulate", "--sim-fault", "busy-always");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("LABELS:\nerror: DIOCGETRULE failed with EBUSY").contains("INFO:\nStatus: Enabled")
                .contains("TIMEOUTS:\ntcp.first");
        assertThat(r.err()).contains("[rules]");
    }

    @Test
    void anAbiMismatchIsReportedAndAnUnsupportedReleaseExitsTwo() {
        Result r = run("show", "labels", "--simulate", "--sim-release", "7.8", "--abi", "8.0");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("error: ").containsIgnoringCase("abi");
        Result bad = run("show", "--simulate", "--abi", "9.1");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("7.8, 7.9, 8.0");
    }

    @Test
    void runCheckConfigValidatesAndExits() {
        Result ok = run("run", "--check-config", "--simulate", "--data-dir", tmp.toString(), "--listen", "127.0.0.1:0");
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).startsWith("configuration OK").contains("simulated pf (OpenBSD 8.0, seed 1, small");
        Result bad = run("run", "--check-config", "--interval", "0s", "--data-dir", tmp.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--interval: poll.interval = '0s'").contains("allowed: a duration from 1s to 1h");
    }

    @Test
    void withoutACommandItPrintsTheHelpAndExitsTwoAndNeverStartsTheDaemon() {
        Result bare = run();
        assertThat(bare.code()).isEqualTo(2);
        assertThat(bare.out()).isEmpty();
        assertThat(bare.err()).contains("the daemon is 'pfmeter run'").contains("Usage: pfmeter")
                .contains("Commands:").contains("  run ").contains("  billing ").contains("  simulate ")
                .contains("Exit codes:").doesNotContain("serving");
        Result daemonOptions = run("--simulate", "--listen", "127.0.0.1:0");
        assertThat(daemonOptions.code()).isEqualTo(2);
        assertThat(daemonOptions.err()).contains("Unknown option")
                .contains("the daemon's options go after its command, e.g. pfmeter run --simulate --listen 127.0.0.1:0");
        assertThat(run("--verbose").err()).contains("Unknown option: '--verbose'").doesNotContain("options go after its command");
        Result help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: pfmeter");
    }

    @Test
    void versionNamesTheCommitItWasBuiltFrom() {
        Result v = run("--version");
        assertThat(v.code()).isZero();
        assertThat(v.out().strip()).matches("pfmeter \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{7,}|unknown), built \\d{4}-\\d\\d-\\d\\d\\)");
    }

    @Test
    void simulateShowsProgressOnlyWhenAskedOrAtATerminal() {
        // tests run without a terminal: stderr stays empty
        Result quiet = run("simulate", "--days", "2", "--poll-interval", "15m", "--data-dir", tmp.resolve("a").toString());
        assertThat(quiet.code()).as(quiet.err()).isZero();
        assertThat(quiet.err()).isEmpty();
        assertThat(quiet.out()).contains("simulated 2 days").contains("done: 193 polls");
        Result shown = run("simulate", "--days", "2", "--poll-interval", "15m", "--data-dir", tmp.resolve("b").toString(), "--progress");
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.err()).contains("\rsimulate: day 1 of 2 (0%), 2026-10-01").contains("simulate: day 2 of 2 (99%), 2026-10-02")
                .contains("simulate: 2026-10-03T00:00:00Z done: 193 polls");
        assertThat(shown.out()).isEqualTo(quiet.out());
    }

    @Test
    void recordShowsProgressOnlyWhenAsked() {
        Result quiet = run("record", "--simulate", "--out", tmp.resolve("q.jsonl").toString(), "--polls", "3");
        assertThat(quiet.code()).as(quiet.err()).isZero();
        assertThat(quiet.err()).isEmpty();
        Result shown = run("record", "--simulate", "--out", tmp.resolve("s.jsonl").toString(), "--polls", "3", "--progress");
        assertThat(shown.err()).contains("\rrecord: poll 1 of 3").contains("\rrecord: poll 3 of 3");
    }

    @Test
    void recordThenShowTheTrace() {
        Path trace = tmp.resolve("trace.jsonl.gz");
        Result rec = run("record", "--simulate", "--out", trace.toString(), "--polls", "2", "--interval", "1m", "--redact");
        assertThat(rec.code()).as(rec.err()).isZero();
        Result shown = run("show", "labels", "--replay", trace.toString());
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("label-1 ");
    }

    @Test
    void aRecordedTraceAnswersTheStateTableOfEachPoll() {
        Path trace = tmp.resolve("states.jsonl");
        Result rec = run("record", "--simulate", "--out", trace.toString(), "--polls", "2", "--interval", "1m");
        assertThat(rec.code()).as(rec.err()).isZero();
        assertThat(rec.out()).doesNotContain("failed");
        Result shown = run("show", "states", "--replay", trace.toString());
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("states");
    }
}
