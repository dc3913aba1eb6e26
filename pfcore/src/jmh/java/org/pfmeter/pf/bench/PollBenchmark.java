package org.pfmeter.pf.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;
import org.pfmeter.pf.sim.SimulatedPf;

/**
 * One full poll of a large firewall (50,000 rules, 5,000 labels, 1,000 tables, 256 interfaces,
 * 64 queues), against a baseline in the same run that only copies the same bytes out of the same
 * buffers. {@code pollCanned} decodes bytes a canned device copies in (no simulator cost);
 * {@code pollSimulated} includes the simulator producing them. Goal: pollCanned within 3× of
 * baselineCopy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PollBenchmark {

    /** One captured exchange: the argument and pointee bytes the device wrote, and its errno. */
    record Exchange(byte[] arg, byte[][] pointees, int errno) {
    }

    /** Answers each call with the next captured exchange, by copying: the cheapest possible device. */
    static final class CannedDevice implements PfDevice {
        private List<Exchange> exchanges;
    private PfSnapshot expected;
        private int next;

        CannedDevice(List<Exchange> exchanges) {
            this.exchanges = exchanges;
        }

        void rewind() {
            next = 0;
        }

        /** The same device (the reader holds it), answering from now on with other exchanges. */
        CannedDevice replacedBy(List<Exchange> steady) {
            exchanges = steady;
            next = 0;
            return this;
        }

        @Override
        public int ioctl(IoctlCall call) {
            Exchange e = exchanges.get(next++);
            call.argument().put(0, e.arg);
            for (int i = 0; i < e.pointees.length; i++) {
                call.pointees().get(i).buffer().put(0, e.pointees[i]);
            }
            return e.errno;
        }

        @Override
        public String kernelRelease() {
            return "8.0";
        }

        @Override
        public String describe() {
            return "canned";
        }

        @Override
        public void close() {
        }
    }

    /** Captures what the simulator wrote, for the canned device and the baseline. */
    static final class Capture implements PfDevice {
        final PfDevice inner;
        final List<Exchange> exchanges = new ArrayList<>();

        Capture(PfDevice inner) {
            this.inner = inner;
        }

        @Override
        public int ioctl(IoctlCall call) {
            int errno = inner.ioctl(call);
            byte[][] p = new byte[call.pointees().size()][];
            for (int i = 0; i < p.length; i++) {
                ByteBuffer b = call.pointees().get(i).buffer();
                p[i] = new byte[b.capacity()];
                b.get(0, p[i]);
            }
            byte[] a = new byte[call.argument().capacity()];
            call.argument().get(0, a);
            exchanges.add(new Exchange(a, p, errno));
            return errno;
        }

        @Override
        public String kernelRelease() {
            return inner.kernelRelease();
        }

        @Override
        public String describe() {
            return inner.describe();
        }

        @Override
        public void close() {
        }
    }

    private SimulatedPf sim;
    private PfReader simulated;
    private CannedDevice canned;
    private PfReader cannedReader;
    private List<Exchange> exchanges;
    private PfSnapshot expected;

    @Setup(Level.Trial)
    public void setUp() {
        sim = new SimulatedPf(new SimConfig(1, AbiRelease.V8_0, SimScale.LARGE), SimClock.manual(Instant.parse("2026-11-02T12:00:00Z")));
        simulated = new PfReader(sim, AbiRelease.V8_0, sim.clock());
        // A reader learns buffer sizes on its first poll (DIOCIGETIFACES grows and retries), so its
        // first poll makes other calls than its later ones. Capture both: the canned reader replays
        // the first once to reach the same state, then the steady-state poll on every invocation.
        Capture capture = new Capture(sim);
        PfReader capturing = new PfReader(capture, AbiRelease.V8_0, sim.clock());
        requireComplete(capturing.poll(), "first poll");
        List<Exchange> first = List.copyOf(capture.exchanges);
        capture.exchanges.clear();
        sim.advance(Duration.ofSeconds(10));
        expected = capturing.poll();
        requireComplete(expected, "steady-state poll");
        exchanges = List.copyOf(capture.exchanges);
        canned = new CannedDevice(first);
        cannedReader = new PfReader(canned, AbiRelease.V8_0, sim.clock());
        requireComplete(cannedReader.poll(), "canned first poll");
        canned = canned.replacedBy(exchanges);
        PfSnapshot again = pollCanned();
        if (!again.rules().equals(expected.rules()) || !again.interfaces().equals(expected.interfaces())) {
            throw new IllegalStateException("the canned device does not replay the steady-state poll");
        }
    }

    private static void requireComplete(PfSnapshot s, String what) {
        if (!s.complete()) {
            throw new IllegalStateException("the large simulated firewall's " + what + " was not complete: " + s.errors());
        }
    }

    @Benchmark
    public PfSnapshot pollSimulated() {
        sim.advance(Duration.ofSeconds(10));
        return simulated.poll();
    }

    @Benchmark
    public PfSnapshot pollCanned() {
        canned.rewind();
        PfSnapshot s = cannedReader.poll();
        if (!s.complete()) {
            throw new IllegalStateException("canned poll incomplete: " + s.errors());
        }
        return s;
    }

    /**
     * The floor: for each exchange of the steady-state poll, copy the captured bytes into a buffer
     * (as the device does) and copy them all out again (more than a decoder reads). Buffers are
     * allocated once per size, so the baseline measures copying, not allocation.
     */
    @Benchmark
    public void baselineCopy(Blackhole bh) {
        for (Exchange e : exchanges) {
            ByteBuffer arg = scratch(e.arg.length);
            arg.put(0, e.arg);
            byte[] out = scratchOut(e.arg.length);
            arg.get(0, out);
            bh.consume(out);
            for (byte[] p : e.pointees) {
                ByteBuffer b = scratch(p.length);
                b.put(0, p);
                byte[] o = scratchOut(p.length);
                b.get(0, o);
                bh.consume(o);
            }
        }
    }

    private final Map<Integer, ByteBuffer> buffers = new HashMap<>();
    private final Map<Integer, byte[]> outs = new HashMap<>();

    private ByteBuffer scratch(int size) {
        return buffers.computeIfAbsent(size, NativeBytes::allocate);
    }

    private byte[] scratchOut(int size) {
        return outs.computeIfAbsent(size, byte[]::new);
    }
}
