package org.pfmeter.pf.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.SourceEntry;
import org.pfmeter.pf.model.SourceLimiter;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/** Record and replay of the limiter requests: the id walks, the source walks by key, and their ends. */
class LimiterTraceTest {

    private static final Instant START = Instant.parse("2026-11-02T08:00:00Z");

    private record Recorded(String trace, List<PfSnapshot> live) {
    }

    private static Recorded record(Redactor redactor, int polls) {
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults(), SimClock.manual(START));
        sim.advance(Duration.ofHours(2));
        StringWriter out = new StringWriter();
        RecordingPfDevice rec = new RecordingPfDevice(sim, AbiRelease.V8_0, out, "amd64", START, redactor);
        PfReader reader = new PfReader(rec, AbiRelease.V8_0, sim.clock());
        List<PfSnapshot> live = new java.util.ArrayList<>();
        for (int i = 0; i < polls; i++) {
            rec.markPoll(sim.clock().instant());
            live.add(reader.poll());
            sim.advance(Duration.ofMinutes(5));
        }
        return new Recorded(out.toString(), live);
    }

    private static List<PfSnapshot> replay(String trace, int polls) throws IOException {
        ReplayPfDevice replay = ReplayPfDevice.read("t.jsonl", new BufferedReader(new StringReader(trace)));
        PfReader reader = new PfReader(replay, AbiRelease.V8_0, replay.recordedClock());
        List<PfSnapshot> out = new java.util.ArrayList<>();
        for (int i = 0; i < polls; i++) {
            out.add(reader.poll());
        }
        return out;
    }

    @Test
    void theLimiterWalksAreRecordedWithTheirEndsAndReplayToTheSameLimiters() throws IOException {
        Recorded r = record(null, 2);
        String t = r.trace();
        assertThat(t).contains("\"request\":\"DIOCGETNSTATELIM\",", "\"select\":{\"id\":8}")
                .contains("\"select\":{\"id\":5}");
        // the walks end as the kernel ends them: ENOENT for state limiters, ESRCH for source limiters,
        // ENOENT past a source limiter's last entry
        assertThat(t.lines().filter(l -> l.contains("DIOCGETNSTATELIM") && l.contains("\"errno\":2"))).hasSize(2);
        assertThat(t.lines().filter(l -> l.contains("DIOCGETNSOURCELIM") && l.contains("\"errno\":3"))).hasSize(2);
        assertThat(t.lines().filter(l -> l.contains("\"DIOCGETNSOURCE\"") && l.contains("\"errno\":2"))).hasSize(4);
        assertThat(t).contains("\"pointees\":{\"key\":\"", "\"key\":\"0200000000000000c612");
        List<PfSnapshot> replayed = replay(t, 2);
        for (int i = 0; i < 2; i++) {
            assertThat(replayed.get(i).stateLimiters()).isEqualTo(r.live().get(i).stateLimiters());
            assertThat(replayed.get(i).sourceLimiters()).isEqualTo(r.live().get(i).sourceLimiters());
        }
        assertThat(replayed.get(0).stateLimiters()).isNotEqualTo(replayed.get(1).stateLimiters());
    }

    @Test
    void aRedactedTraceHasNoSourceAddressesAndStillReplays() throws IOException {
        Recorded r = record(new Redactor(), 2);
        String t = r.trace();
        assertThat(t).doesNotContain("c612").as("198.18.x.y").doesNotContain("20010db8").as("2001:db8:…")
                .doesNotContain(hex("abusers"));
        List<PfSnapshot> replayed = replay(t, 2);
        for (int i = 0; i < 2; i++) {
            SourceLimiter live = r.live().get(i).sourceLimiters().value().orElseThrow().get(0);
            SourceLimiter back = replayed.get(i).sourceLimiters().value().orElseThrow().get(0);
            assertThat(back.sources().count()).isEqualTo(live.sources().count());
            assertThat(back.admitted()).isEqualTo(live.admitted());
            assertThat(back.sources().top()).extracting(SourceEntry::inuse)
                    .containsExactlyElementsOf(live.sources().top().stream().map(SourceEntry::inuse).toList());
            assertThat(back.sources().top()).extracting(SourceEntry::address).allMatch(a -> a.startsWith("0.0.0."));
            assertThat(replayed.get(i).sourceLimiters().value().orElseThrow().get(1).sources().top())
                    .extracting(SourceEntry::address).allMatch(a -> a.startsWith("::"));
            assertThat(replayed.get(i).sourceLimiters().value().orElseThrow().get(1).overloadTable()).startsWith("table-");
        }
    }

    private static String hex(String s) {
        return java.util.HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
