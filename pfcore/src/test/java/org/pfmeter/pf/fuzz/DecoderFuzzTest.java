package org.pfmeter.pf.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfDeviceException;
import org.pfmeter.pf.abi.PfIoctlException;
import org.pfmeter.pf.abi.PfProtocol;
import org.pfmeter.pf.fuzz.MutatingPfDevice.Strategy;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.QueueStats;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;
import org.pfmeter.pf.trace.ReplayPfDevice;

/**
 * Malformed kernel answers, seeded and replayable: every case reads all subsystems through a device
 * that corrupts what pf wrote back ({@link MutatingPfDevice}). Each read must end with a value or a
 * typed {@link PfIoctlException} (or, for a replayed trace that has no answer to a corrupted request,
 * a {@link PfDeviceException}) — never another exception, a hang or an out-of-memory. More cases:
 * {@code -Dpfmeter.fuzz.cases=100000}; another seed: {@code -Dpfmeter.fuzz.seed=N}. A failure names the
 * case's seed; rerun just it with {@code -Dpfmeter.fuzz.only=SEED}.
 */
class DecoderFuzzTest {

    private static final int CASES = Integer.getInteger("pfmeter.fuzz.cases", 2000);
    private static final long SEED = Long.getLong("pfmeter.fuzz.seed", 20261201L);
    private static final Long ONLY = Long.getLong("pfmeter.fuzz.only");
    private static final Instant AT = Instant.parse("2026-11-02T14:30:00Z");
    /** A hang guard only: a whole strategy normally takes well under a second or two. */
    private static final Duration GUARD = Duration.ofSeconds(Math.max(120, CASES / 20));
    private static final Duration PER_CASE = Duration.ofSeconds(5);

    /** What the cases of one strategy ended with. */
    static final class Outcome {
        int cases;
        int mutations;
        int values;
        int deviceErrors;
        final Map<PfError.Kind, Integer> errors = new EnumMap<>(PfError.Kind.class);

        @Override
        public String toString() {
            return cases + " cases, " + mutations + " mutations, " + values + " values, " + errors + ", device errors " + deviceErrors;
        }
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void simulatedPfWithLyingAnswers(Strategy strategy) {
        // a simulator per release, replaced every 64 cases: lies can leave tickets open in it
        Map<AbiRelease, SimulatedPf> sims = new EnumMap<>(AbiRelease.class);
        Map<AbiRelease, Integer> uses = new EnumMap<>(AbiRelease.class);
        Outcome o = assertTimeoutPreemptively(GUARD, () -> run(strategy, SEED + 1_000_003L * strategy.ordinal(), CASES, (release, seed) -> {
            if (uses.merge(release, 1, Integer::sum) % 64 == 1) {
                sims.put(release, new SimulatedPf(SimConfig.defaults().withRelease(release).withSeed(seed % 5), SimClock.manual(AT)));
            }
            SimulatedPf sim = sims.get(release);
            sim.advance(Duration.ofSeconds(seed % 7));
            return sim;
        }));
        System.out.println("fuzz " + strategy + ": " + o);
        assertThat(o.mutations).as("the strategy corrupts answers").isGreaterThan(o.cases / 3);
        assertThat(o.values).as("most reads still succeed").isGreaterThan(o.cases);
        assertThat(o.errors.values().stream().mapToInt(Integer::intValue).sum()).as("typed errors seen").isPositive();
    }

    @Test
    void goldenTracesWithFlippedBytes() throws IOException {
        Map<AbiRelease, String> traces = new EnumMap<>(AbiRelease.class);
        for (AbiRelease r : AbiRelease.values()) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of("src/test/resources/traces/golden-" + r.version() + ".jsonl.gz")))) {
                traces.put(r, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        for (Strategy strategy : List.of(Strategy.BYTE_FLIPS, Strategy.NAMES, Strategy.TRUNCATED)) {
            // one replay per release: each DIOCGETSTATUS (every case starts with it) serves the poll afresh
            Map<AbiRelease, ReplayPfDevice> replays = new EnumMap<>(AbiRelease.class);
            for (AbiRelease r : AbiRelease.values()) {
                replays.put(r, ReplayPfDevice.read("golden-" + r.version(), new BufferedReader(new StringReader(traces.get(r)))));
            }
            Outcome o = assertTimeoutPreemptively(GUARD, () -> run(strategy, SEED + 7_000_001L * (strategy.ordinal() + 1),
                    CASES / 2, (release, seed) -> replays.get(release)));
            System.out.println("fuzz golden traces " + strategy + ": " + o);
            assertThat(o.values).isGreaterThan(o.cases);
            assertThat(o.errors).isNotEmpty();
        }
    }

    /** Through the reader as the daemon uses it: no subsystem error is an unexpected (untyped) failure. */
    @Test
    void readerReportsOnlyTypedErrors() {
        assertTimeoutPreemptively(GUARD, () -> {
            for (int i = 0; i < Math.max(50, CASES / 10); i++) {
                Strategy strategy = Strategy.values()[i % Strategy.values().length];
                SplittableRandom rnd = new SplittableRandom(SEED - i);
                AbiRelease release = AbiRelease.values()[i % AbiRelease.values().length];
                SimulatedPf sim = new SimulatedPf(SimConfig.defaults().withRelease(release), SimClock.manual(AT));
                PfSnapshot s = new PfReader(new MutatingPfDevice(sim, release.abi(), strategy, rnd, 0.05), release, SimClock.manual(AT)).poll();
                for (PfError e : s.errors().values()) {
                    assertThat(e.message()).as("case %d %s", i, strategy).doesNotStartWith("unexpected failure");
                }
            }
        });
    }

    @FunctionalInterface
    interface Source {
        PfDevice open(AbiRelease release, long seed);
    }

    @FunctionalInterface
    private interface Read {
        Object get(PfProtocol p) throws PfIoctlException;
    }

    private static final List<Read> READS = List.of(PfProtocol::readStatus, PfProtocol::readLimits, PfProtocol::readTimeouts,
            PfProtocol::readInterfaces, PfProtocol::readRules, PfProtocol::readTables, PfProtocol::readQueues);

    private static final double[] RATES = {0.003, 0.01, 0.03, 0.1, 0.5};

    static Outcome run(Strategy strategy, long base, int cases, Source source) {
        Outcome o = new Outcome();
        for (int i = 0; i < cases; i++) {
            long seed = base + i;
            if (ONLY != null && ONLY != seed) {
                continue;
            }
            SplittableRandom rnd = new SplittableRandom(seed);
            AbiRelease release = AbiRelease.values()[rnd.nextInt(AbiRelease.values().length)];
            PfAbi abi = release.abi();
            MutatingPfDevice dev = new MutatingPfDevice(source.open(release, seed), abi, strategy, rnd, RATES[rnd.nextInt(RATES.length)]);
            PfProtocol p = new PfProtocol(dev, abi, 3);
            long t0 = System.nanoTime();
            for (Read read : READS) {
                try {
                    check(read.get(p));
                    o.values++;
                } catch (PfIoctlException e) {
                    o.errors.merge(e.error().kind(), 1, Integer::sum);
                    assertThat(e.getMessage()).isNotBlank();
                } catch (PfDeviceException e) {
                    o.deviceErrors++;
                } catch (Throwable t) {
                    throw new AssertionError("fuzz case " + strategy + " seed " + seed + " (" + release.version()
                            + ", rerun with -Dpfmeter.fuzz.only=" + seed + "): " + t, t);
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(took).as("fuzz case %s seed %d", strategy, seed).isLessThan(PER_CASE);
            o.cases++;
            o.mutations += dev.mutations() > 0 ? 1 : 0;
        }
        return o;
    }

    /** What a successful read holds is valid Unicode without NUL, whatever bytes the names had. */
    private static void check(Object value) {
        List<String> names = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object e : list) {
                if (e instanceof InterfaceCounters k) {
                    names.add(k.name());
                    names.addAll(k.members());
                } else if (e instanceof TableStats t) {
                    names.add(t.anchor());
                    names.add(t.name());
                } else if (e instanceof QueueStats q) {
                    names.add(q.name());
                    names.add(q.parent());
                    names.add(q.ifname());
                }
            }
        } else if (value instanceof Rules r) {
            names.addAll(r.anchors());
            for (RuleCounters c : r.rules()) {
                names.add(c.label());
                names.add(c.anchorCall());
            }
        }
        for (String n : names) {
            assertThat(n.indexOf('\0')).as("NUL in %s", n).isNegative();
            assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(n)).as("valid Unicode: %s", n).isTrue();
        }
    }
}
