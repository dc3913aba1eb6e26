package org.pfmeter.pf.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Subsystem;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

class TraceTest {

    private static final Instant START = Instant.parse("2026-11-02T08:00:00Z");

    /** A snapshot without its measured duration, which no two polls share. */
    private static PfSnapshot content(PfSnapshot s) {
        return new PfSnapshot(s.takenAt(), Duration.ZERO, s.abiRelease(), s.status(), s.limits(), s.timeouts(),
                s.interfaces(), s.rules(), s.tables(), s.queues(), s.sourceNodes(), s.stateLimiters(), s.sourceLimiters(),
                s.pfsync(), s.tableAddresses());
    }

    private static String record(AbiRelease release, int polls, Redactor redactor) {
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults().withRelease(release), SimClock.manual(START));
        StringWriter out = new StringWriter();
        RecordingPfDevice rec = new RecordingPfDevice(sim, release, out, "amd64", START, redactor);
        PfReader reader = new PfReader(rec, release, sim.clock());
        for (int i = 0; i < polls; i++) {
            rec.markPoll(sim.clock().instant());
            assertThat(reader.poll().complete()).isTrue();
            sim.advance(Duration.ofSeconds(10));
        }
        return out.toString();
    }

    private static List<PfSnapshot> live(AbiRelease release, int polls) {
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults().withRelease(release), SimClock.manual(START));
        PfReader reader = new PfReader(sim, release, sim.clock());
        List<PfSnapshot> snaps = new ArrayList<>();
        for (int i = 0; i < polls; i++) {
            snaps.add(content(reader.poll()));
            sim.advance(Duration.ofSeconds(10));
        }
        return snaps;
    }

    @ParameterizedTest
    @EnumSource(AbiRelease.class)
    void theSysctlIsRecordedAndReplayedAndATraceWithoutItReadsAsBefore(AbiRelease release) throws IOException {
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults().withRelease(release).withPfsync(true), SimClock.manual(START));
        StringWriter out = new StringWriter();
        RecordingPfDevice rec = new RecordingPfDevice(sim, release, out, "amd64", START, null);
        PfReader reader = new PfReader(rec, release, sim.clock());
        List<PfSnapshot> live = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            rec.markPoll(sim.clock().instant());
            live.add(content(reader.poll()));
            sim.advance(Duration.ofMinutes(5));
        }
        assertThat(live.get(1).pfsync().value().orElseThrow()).isNotEqualTo(live.get(0).pfsync().value().orElseThrow());
        String trace = out.toString();
        assertThat(trace).contains("\"sysctl\":\"net.inet.pfsync.stats\",\"mib\":[4,2,240,1],\"select\":{\"oldlen\":128}");

        SimClock clock = SimClock.manual(START);
        PfReader again = new PfReader(replay(trace), release, clock);
        for (int i = 0; i < 2; i++) {
            assertThat(content(again.poll())).isEqualTo(live.get(i));
            clock.advance(Duration.ofMinutes(5));
        }

        // a trace written before sysctls were recorded: every ioctl still replays, pfsync reads as absent
        String old = Arrays.stream(trace.split("\n")).filter(l -> !l.contains("\"sysctl\"")).collect(Collectors.joining("\n"));
        PfSnapshot s = new PfReader(replay(old), release, SimClock.manual(START)).poll();
        assertThat(s.complete()).isTrue();
        assertThat(s.pfsync().isNotPresent()).isTrue();
        assertThat(s.interfaces()).isEqualTo(live.get(0).interfaces());

        // a sysctl the trace cannot answer fails the subsystem, naming the call
        String other = trace.replace("[4,2,240,1]", "[4,2,240,9]");
        PfSnapshot miss = new PfReader(replay(other), release, SimClock.manual(START)).poll();
        assertThat(miss.pfsync().error().orElseThrow().message()).contains("no answer for sysctl net.inet.pfsync.stats");
    }

    @Test
    void perAddressCountersAreRecordedAndReplayedAndRedactedToPlaceholders() throws IOException {
        List<org.pfmeter.pf.model.TableKey> tables = List.of(new org.pfmeter.pf.model.TableKey("customers/acme", "acme-nets"),
                new org.pfmeter.pf.model.TableKey("", "admins"));
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults(), SimClock.manual(START));
        sim.advance(Duration.ofHours(1));
        StringWriter out = new StringWriter();
        RecordingPfDevice rec = new RecordingPfDevice(sim, AbiRelease.V8_0, out, "amd64", START, null);
        rec.markPoll(sim.clock().instant());
        PfSnapshot live = content(new PfReader(rec, AbiRelease.V8_0, sim.clock(), 5, tables).poll());
        assertThat(live.tableAddresses().value().orElseThrow().get(0).addresses()).hasSize(12);
        assertThat(out.toString()).contains("\"request\":\"DIOCRGETASTATS\"", "\"pfrt_name\":\"acme-nets\"");
        PfSnapshot replayed = content(new PfReader(replay(out.toString()), AbiRelease.V8_0, SimClock.manual(START), 5, tables).poll());
        assertThat(replayed.tableAddresses()).isEqualTo(live.tableAddresses());

        SimulatedPf again = new SimulatedPf(SimConfig.defaults(), SimClock.manual(START));
        again.advance(Duration.ofHours(1));
        StringWriter redacted = new StringWriter();
        RecordingPfDevice red = new RecordingPfDevice(again, AbiRelease.V8_0, redacted, "amd64", START, new Redactor());
        red.markPoll(again.clock().instant());
        new PfReader(red, AbiRelease.V8_0, again.clock(), 5, tables.subList(0, 1)).poll();
        assertThat(redacted.toString()).doesNotContain("acme-nets");
        // the redacted trace answers for the placeholder names, with placeholder addresses and the same counters
        ReplayPfDevice r = replay(redacted.toString());
        String placeholder = redacted.toString().replaceAll("(?s).*\"request\":\"DIOCRGETASTATS\",[^}]*\"pfrt_name\":\"(table-[0-9]+)\".*", "$1");
        PfSnapshot s = new PfReader(r, AbiRelease.V8_0, SimClock.manual(START), 5,
                List.of(new org.pfmeter.pf.model.TableKey("customers/acme", placeholder))).poll();
        var acme = s.tableAddresses().value().orElseThrow().get(0);
        var real = live.tableAddresses().value().orElseThrow().get(0);
        assertThat(acme.addresses()).hasSize(12);
        for (int i = 0; i < 12; i++) {
            assertThat(acme.addresses().get(i).address()).isNotEqualTo(real.addresses().get(i).address());
            assertThat(acme.addresses().get(i).address().prefixLength()).isEqualTo(real.addresses().get(i).address().prefixLength());
            assertThat(acme.addresses().get(i).bytes()).isEqualTo(real.addresses().get(i).bytes());
        }
    }

    private static ReplayPfDevice replay(String trace) throws IOException {
        return ReplayPfDevice.read("t.jsonl", new BufferedReader(new StringReader(trace)));
    }

    @ParameterizedTest
    @EnumSource(AbiRelease.class)
    void aRecordedTraceReplaysToTheSameSnapshots(AbiRelease release) throws IOException {
        String trace = record(release, 3, null);
        ReplayPfDevice replay = replay(trace);
        assertThat(replay.pollCount()).isEqualTo(3);
        assertThat(replay.release()).isEqualTo(release);
        SimClock clock = SimClock.manual(START);
        PfReader reader = new PfReader(replay, release, clock);
        List<PfSnapshot> replayed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            replayed.add(content(reader.poll()));
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(replayed).isEqualTo(live(release, 3));
        // counters moved between the recorded polls
        assertThat(replayed.get(0).status()).isNotEqualTo(replayed.get(2).status());
    }

    @Test
    void theHeaderSaysWhatWasRecorded() {
        String header = record(AbiRelease.V7_8, 1, null).lines().findFirst().orElseThrow();
        assertThat(header).contains("\"pfmeter_trace\":1", "\"kernel_release\":\"7.8\"", "\"machine\":\"amd64\"",
                "\"abi\":\"7.8\"", "\"taken_at\":\"2026-11-02T08:00:00Z\"");
    }

    @Test
    void pointeesAreKeyedByTheirPointerFieldsName() {
        String trace = record(AbiRelease.V8_0, 1, null);
        assertThat(trace).contains("\"pointees\":{\"pfiio_buffer\":\"", "\"pointees\":{\"pfrio_buffer\":\"", "\"pointees\":{\"buf\":\"");
        assertThat(trace).contains("\"select\":{\"anchor\":\"\"}");
    }

    @Test
    void aTruncatedLineIsNamed() {
        String trace = record(AbiRelease.V8_0, 1, null);
        String cut = trace.substring(0, trace.indexOf('\n', trace.indexOf("DIOCGETLIMIT")) - 20);
        assertThatThrownBy(() -> replay(cut)).isInstanceOf(TraceException.class)
                .hasMessageContaining("t.jsonl:").hasMessageContaining("not complete JSON");
    }

    @Test
    void aWrongReleaseIsRefused() throws IOException {
        String trace = record(AbiRelease.V8_0, 1, null).replaceFirst("\"abi\":\"8.0\"", "\"abi\":\"6.9\"");
        assertThatThrownBy(() -> replay(trace)).isInstanceOf(TraceException.class)
                .hasMessageContaining("6.9").hasMessageContaining("7.8, 7.9, 8.0");
        String mislabelled = record(AbiRelease.V8_0, 1, null).replaceFirst("\"abi\":\"8.0\"", "\"abi\":\"7.8\"");
        assertThatThrownBy(() -> replay(mislabelled)).isInstanceOf(TraceException.class)
                .hasMessageContaining("DIOCGETRULE").hasMessageContaining("does not match its header's release");
        // read with another release's layouts: the calls that differ fail, naming the fix
        PfSnapshot s = new PfReader(replay(record(AbiRelease.V8_0, 1, null)), AbiRelease.V7_8, SimClock.manual(START)).poll();
        assertThat(s.errors().get(Subsystem.RULES).message()).contains("DIOCGETRULES", "--abi 8.0");
        assertThat(s.status().isOk()).isTrue();
    }

    @Test
    void aMissingExchangeFailsThatSubsystemOnly() throws IOException {
        String trace = Arrays.stream(record(AbiRelease.V8_0, 1, null).split("\n"))
                .filter(l -> !(l.contains("DIOCGETLIMIT") && l.contains("\"index\":3")))
                .collect(Collectors.joining("\n"));
        PfSnapshot s = new PfReader(replay(trace), AbiRelease.V8_0, SimClock.manual(START)).poll();
        assertThat(s.errors()).containsOnlyKeys(Subsystem.LIMITS);
        assertThat(s.errors().get(Subsystem.LIMITS).message()).contains("no answer for DIOCGETLIMIT", "\"index\":3");
    }

    @Test
    void aBufferShorterThanItsElementsIsRefused() throws IOException {
        String trace = Arrays.stream(record(AbiRelease.V8_0, 1, null).split("\n"))
                .map(l -> l.contains("DIOCIGETIFACES") && l.contains("\"pfiio_name\":\"\"")
                        ? l.replaceFirst("(\"pfiio_buffer\":\")([0-9a-f]{512})[0-9a-f]*\"", "$1$2\"") : l)
                .collect(Collectors.joining("\n"));
        PfSnapshot s = new PfReader(replay(trace), AbiRelease.V8_0, SimClock.manual(START)).poll();
        assertThat(s.errors().get(Subsystem.INTERFACES).message()).contains("pfiio_buffer holds 256 bytes, fewer than");
    }

    @Test
    void redactionReplacesLabelsAndTablesAndKeepsCounters() throws IOException {
        List<PfSnapshot> plain = live(AbiRelease.V8_0, 1);
        String trace = record(AbiRelease.V8_0, 1, new Redactor());
        PfSnapshot red = new PfReader(replay(trace), AbiRelease.V8_0, SimClock.manual(START)).poll();
        var labels = red.labels().orElseThrow();
        assertThat(labels).isNotEmpty().allSatisfy(l -> assertThat(l.label()).matches("label-\\d+"));
        assertThat(red.tables().value().orElseThrow()).extracting(TableStats::name).allMatch(n -> n.matches("table-\\d+"));
        for (var l : plain.get(0).labels().orElseThrow()) {
            assertThat(trace).doesNotContain(hex(l.label()));
        }
        long plainBytes = plain.get(0).labels().orElseThrow().stream().mapToLong(l -> l.bytesIn()).sum();
        long redBytes = labels.stream().mapToLong(l -> l.bytesIn()).sum();
        assertThat(redBytes).isEqualTo(plainBytes);
        assertThat(red.interfaces()).isEqualTo(plain.get(0).interfaces());
    }

    @Test
    void redactionReplacesQueueNamesToo() throws IOException {
        // issue 19: queue names are as telling as labels ("acme-voip"); --redact kept them
        List<PfSnapshot> plain = live(AbiRelease.V8_0, 1);
        var queues = plain.get(0).queues().value().orElseThrow();
        assertThat(queues).isNotEmpty();
        String trace = record(AbiRelease.V8_0, 1, new Redactor());
        PfSnapshot red = new PfReader(replay(trace), AbiRelease.V8_0, SimClock.manual(START)).poll();
        var redQueues = red.queues().value().orElseThrow();
        assertThat(redQueues).hasSameSizeAs(queues);
        // (anchors stay, and an anchor is called like a queue: look where queues are listed; a rule's
        // qname and pqname get the same placeholders, unseen in a snapshot)
        String queueCalls = trace.lines().filter(l -> l.contains("\"request\":\"DIOCGETQSTATS\""))
                .collect(Collectors.joining("\n"));
        assertThat(queueCalls).isNotEmpty();
        for (var q : queues) {
            if (!q.name().startsWith("_root_")) {
                assertThat(queueCalls).as(q.name()).doesNotContain(hex(q.name()));
            }
        }
        assertThat(redQueues).allSatisfy(q -> {
            assertThat(q.name()).matches("queue-\\d+|_root_.*");
            assertThat(q.parent()).matches("|queue-\\d+|_root_.*");
        });
        // the same queue keeps its placeholder, and the tree and counters are kept
        assertThat(redQueues.stream().map(q -> q.transmittedBytes()).toList())
                .isEqualTo(queues.stream().map(q -> q.transmittedBytes()).toList());
        assertThat(redQueues.stream().map(q -> q.name()).distinct().count()).isEqualTo(queues.stream().map(q -> q.name()).distinct().count());
    }

    private static String hex(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : (s + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
