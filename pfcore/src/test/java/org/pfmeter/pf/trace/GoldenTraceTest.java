package org.pfmeter.pf.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * Decoding pinned against fixed bytes: for each release a trace recorded once (test resources,
 * traces/golden-R.jsonl.gz) must decode to the text kept beside it. Regenerate both only on purpose:
 * {@code mvn test -pl pfcore -Dtest=GoldenTraceTest -Dpfmeter.golden.regenerate=true}.
 */
class GoldenTraceTest {

    private static final Path DIR = Path.of("src/test/resources/traces");
    private static final Instant AT = Instant.parse("2026-11-02T14:30:00Z");

    @ParameterizedTest
    @EnumSource(AbiRelease.class)
    void goldenTraceDecodesToItsText(AbiRelease release) throws IOException {
        Path trace = DIR.resolve("golden-" + release.version() + ".jsonl.gz");
        Path text = DIR.resolve("golden-" + release.version() + ".txt");
        if (Boolean.getBoolean("pfmeter.golden.regenerate")) {
            regenerate(release, trace);
            Files.writeString(text, render(new PfReader(ReplayPfDevice.open(trace), release, SimClock.manual(AT)).poll()));
        }
        PfSnapshot s = new PfReader(ReplayPfDevice.open(trace), release, SimClock.manual(AT)).poll();
        assertThat(s.complete()).as("%s", s.errors()).isTrue();
        assertThat(render(s)).isEqualTo(Files.readString(text));
    }

    private static void regenerate(AbiRelease release, Path trace) throws IOException {
        // counters start near 2^63 and run for 6 hours, so the golden bytes pin unsigned decoding too
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults().withRelease(release).withSeed(7)
                .withCounterStart(SimConfig.NEAR_2_63), SimClock.manual(AT.minus(java.time.Duration.ofHours(6))));
        sim.advance(java.time.Duration.ofHours(6));
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(trace)), StandardCharsets.UTF_8)) {
            RecordingPfDevice rec = new RecordingPfDevice(sim, release, w, "amd64", AT, null);
            rec.markPoll(AT);
            new PfReader(rec, release, sim.clock()).poll();
        }
    }

    private static String unsigned(long[] v) {
        return java.util.Arrays.stream(v).mapToObj(Long::toUnsignedString).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Every decoded value, one per line, unsigned. */
    static String render(PfSnapshot s) {
        StringBuilder b = new StringBuilder();
        Status st = s.status().value().orElseThrow();
        b.append("status running=").append(st.running()).append(" since=").append(st.since()).append(" debug=").append(st.debug())
                .append(" hostid=").append(st.hostid()).append(" reass=").append(st.reass()).append(" stateid=")
                .append(Long.toUnsignedString(st.stateid().getAsLong())).append(" states=").append(st.states()).append(" halfopen=")
                .append(st.statesHalfopen().getAsLong()).append(" srcnodes=").append(st.srcNodes()).append(" fragments=").append(st.fragments().getAsLong())
                .append(" syncookies=").append(st.syncookiesActive()).append('/').append(st.syncookiesMode().orElseThrow())
                .append(" inflight=").append(st.syncookiesInflightTotal().getAsLong()).append(" chksum=").append(st.checksum())
                .append(" wats=").append(st.syncookieHiwat().getAsLong()).append('/').append(st.syncookieLowat().getAsLong()).append('\n');
        b.append("counters ").append(st.counters()).append('\n');
        b.append("lcounters ").append(st.limitCounters()).append('\n');
        b.append("fcounters ").append(st.stateOperations()).append(" scounters ").append(st.srcNodeOperations())
                .append(" ncounters ").append(st.fragmentOperations()).append('\n');
        b.append("loginterface ").append(st.logInterface().ifname()).append(' ').append(st.logInterface().counters()).append('\n');
        b.append("limits ").append(s.limits().value().orElseThrow().values()).append('\n');
        b.append("timeouts ").append(s.timeouts().value().orElseThrow().values()).append('\n');
        for (InterfaceCounters i : s.interfaces().value().orElseThrow()) {
            b.append("kif ").append(i.name()).append(i.group() ? " group" + i.members() : "").append(" flags=").append(i.flags())
                    .append(" states=").append(i.states()).append(" rules=").append(i.rules()).append(' ').append(i.counters()).append('\n');
        }
        for (LabelCounters l : s.rules().value().orElseThrow().labels()) {
            b.append("label ").append(l.key()).append(' ').append(l.rules()).append(' ').append(Long.toUnsignedString(l.evaluations()))
                    .append(' ').append(Long.toUnsignedString(l.packetsIn())).append(' ').append(Long.toUnsignedString(l.packetsOut()))
                    .append(' ').append(Long.toUnsignedString(l.bytesIn())).append(' ').append(Long.toUnsignedString(l.bytesOut()))
                    .append(' ').append(l.statesCur()).append(' ').append(l.statesTotal()).append('\n');
        }
        b.append("rules ").append(s.rules().value().orElseThrow().rules().size()).append(" anchors ")
                .append(s.rules().value().orElseThrow().anchors()).append('\n');
        for (TableStats t : s.tables().value().orElseThrow()) {
            b.append("table ").append(t.anchor()).append(':').append(t.name()).append(' ').append(t.flagLetters()).append(" cnt=")
                    .append(t.addresses()).append(" match=").append(Long.toUnsignedString(t.match())).append(" nomatch=").append(Long.toUnsignedString(t.nomatch()))
                    .append(" refs=").append(t.refRules()).append('/').append(t.refAnchors())
                    .append(" packets=").append(unsigned(t.packets()))
                    .append(" bytes=").append(unsigned(t.bytes())).append('\n');
        }
        for (QueueStats q : s.queues().value().orElseThrow()) {
            b.append("queue ").append(q.name()).append(" on ").append(q.ifname()).append(" parent=").append(q.parent())
                    .append(" qid=").append(q.qid()).append('/').append(q.parentQid()).append(" flags=").append(q.flags())
                    .append(' ').append(q.kind()).append(" bw=").append(q.bandwidth()).append(" xmit=")
                    .append(unsigned(new long[] {q.transmittedPackets(), q.transmittedBytes()})).append(" drop=")
                    .append(unsigned(new long[] {q.droppedPackets(), q.droppedBytes()})).append(" len=").append(q.length())
                    .append('/').append(q.limit()).append(" flows=").append(q.flows()).append('\n');
        }
        org.pfmeter.pf.model.SourceNodes sn = s.sourceNodes().value().orElseThrow();
        b.append("srcnodes ").append(sn.nodes()).append(" skipped=").append(sn.skipped()).append(" unattributed=")
                .append(sn.unattributed()).append('\n');
        for (org.pfmeter.pf.model.SourceNodeGroup g : sn.groups()) {
            b.append("srcnode-group ").append(g.anchor()).append(':').append(g.label()).append(' ').append(g.kind().kernelName())
                    .append(" nodes=").append(g.nodes()).append(" states=").append(g.states()).append(" conn=").append(g.connections())
                    .append('\n');
        }
        for (org.pfmeter.pf.model.SourceNode n : sn.top()) {
            b.append("srcnode ").append(n).append('\n');
        }
        // limiters (7.9 and later): records print every component; 7.8 says not present
        s.stateLimiters().value().ifPresentOrElse(l -> l.forEach(x -> b.append(x).append('\n')),
                () -> b.append("state limiters: ").append(s.stateLimiters()).append('\n'));
        s.sourceLimiters().value().ifPresentOrElse(l -> l.forEach(x -> b.append(x).append('\n')),
                () -> b.append("source limiters: ").append(s.sourceLimiters()).append('\n'));
        return b.toString();
    }
}
