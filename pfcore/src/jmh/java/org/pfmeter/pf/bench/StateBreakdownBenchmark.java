package org.pfmeter.pf.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBuffer;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfsyncState;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.model.StateTableBreakdown;
import org.pfmeter.pf.sim.Fault;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimScale;
import org.pfmeter.pf.sim.SimulatedPf;
import org.pfmeter.pf.states.StateBreakdownReader;

/**
 * One state-table breakdown at 100,000 and 1,000,000 states (the large firewall's table filled by a
 * STATE_RAMP to its limit; HUGE's limit is a million), against a baseline in the same run that only
 * copies the same bytes into a buffer of the same size. The device answers DIOCGETSTATES from the
 * captured table by one bulk copy (the kernel's copyout), so {@code breakdown} is that copy plus the
 * size query and the aggregation. Goal: within 3× of {@code baselineCopy}, and the bytes allocated
 * per breakdown (JMH {@code -prof gc}) not growing with the states.
 *
 * <p>On a machine shared with other work the two, measured one after the other, see different load,
 * and a breakdown (several scheduler time slices long) is preempted more often than a copy (shorter
 * than one). {@code interleaved} therefore runs both alternately in one invocation and reports, for
 * each, the wall time ({@code breakdownMs}, {@code copyMs}) and the thread's CPU time
 * ({@code breakdownCpuMs}, {@code copyCpuMs}, which waiting for a CPU does not inflate), summed per
 * iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx256m"})
public class StateBreakdownBenchmark {

    @Param({"100000", "1000000"})
    public int states;

    /** Answers DIOCGETSTATES from a captured table, as pf_states_get() does: size query, then copyout. */
    static final class CannedStates implements PfDevice {
        private final ByteBuffer table;
        private final PfsyncState codec = AbiRelease.V8_0.abi().pfsyncState();

        CannedStates(ByteBuffer table) {
            this.table = table;
        }

        @Override
        public int ioctl(IoctlCall call) {
            long len = call.argument().getLong(codec.psLen);
            if (len == 0) {
                call.argument().putLong(codec.psLen, table.capacity());
                return 0;
            }
            int fit = (int) Math.min(table.capacity(), len / codec.size() * codec.size());
            call.pointee(codec.psBuf).orElseThrow().put(0, table, 0, fit);
            call.argument().putLong(codec.psLen, fit);
            return 0;
        }

        @Override
        public String kernelRelease() {
            return "8.0";
        }

        @Override
        public String describe() {
            return "captured state table";
        }

        @Override
        public void close() {
        }
    }

    private NativeBuffer captured;
    private NativeBuffer copyTarget;
    private Rules rules;
    private StateBreakdownReader reader;
    private long expectedStates;

    @Setup
    public void setup() {
        SimScale scale = states > 100_000 ? SimScale.HUGE : SimScale.LARGE;
        SimulatedPf sim = new SimulatedPf(new SimConfig(1, AbiRelease.V8_0, scale), SimClock.manual(Instant.parse("2026-11-02T12:00:00Z")));
        sim.advance(Duration.ofHours(1));
        sim.inject(Fault.STATE_RAMP);
        sim.advance(Duration.ofMinutes(11));
        rules = new PfReader(sim, AbiRelease.V8_0, sim.clock()).poll().rules().value().orElseThrow();
        PfsyncState codec = AbiRelease.V8_0.abi().pfsyncState();
        // capture the table once, through the reader's own protocol
        NativeBuffer[] holder = new NativeBuffer[1];
        PfDevice capturing = new PfDevice() {
            @Override
            public int ioctl(IoctlCall call) {
                int errno = sim.ioctl(call);
                long len = call.argument().getLong(codec.psLen);
                if (!call.pointees().isEmpty() && len > 0) {
                    holder[0] = NativeBuffer.allocate((int) len);
                    holder[0].bytes().put(0, call.pointees().get(0).buffer(), 0, (int) len);
                }
                return errno;
            }

            @Override
            public String kernelRelease() {
                return "8.0";
            }

            @Override
            public String describe() {
                return "capturing";
            }

            @Override
            public void close() {
            }
        };
        StateBreakdownReader.Outcome o = new StateBreakdownReader(capturing, AbiRelease.V8_0, sim.clock()).read(rules, Long.MAX_VALUE, 10);
        expectedStates = ((StateBreakdownReader.Read) o).breakdown().states();
        if (expectedStates != states) {
            throw new IllegalStateException("the table holds " + expectedStates + " states, not " + states);
        }
        captured = holder[0];
        copyTarget = NativeBuffer.allocate(captured.capacity() * 2);
        reader = new StateBreakdownReader(new CannedStates(captured.bytes()), AbiRelease.V8_0, sim.clock());
    }

    @TearDown
    public void check() {
        StateTableBreakdown b = breakdown();
        if (b.states() != expectedStates || b.unattributed() != 0) {
            throw new IllegalStateException("breakdown of " + b.states() + " states, " + b.unattributed() + " unattributed");
        }
        System.out.printf("%n%d states: native buffer %d bytes, captured table %d bytes%n", states, reader.bufferBytes(),
                captured.capacity());
    }

    @Benchmark
    public StateTableBreakdown breakdown() {
        return ((StateBreakdownReader.Read) reader.read(rules, Long.MAX_VALUE, 10)).breakdown();
    }

    /** Wall and CPU time of the two halves of {@code interleaved}, per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Split {
        public double breakdownMs;
        public double copyMs;
        public double breakdownCpuMs;
        public double copyCpuMs;
        boolean breakdownFirst;

        @Setup(Level.Iteration)
        public void clear() {
            breakdownMs = 0;
            copyMs = 0;
            breakdownCpuMs = 0;
            copyCpuMs = 0;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Benchmark
    public long interleaved(Split split) {
        // alternate the order so that neither always runs in the other's cache
        split.breakdownFirst = !split.breakdownFirst;
        long w0 = System.nanoTime();
        long c0 = THREADS.getCurrentThreadCpuTime();
        long n = split.breakdownFirst ? breakdown().states() : baselineCopy().capacity();
        long w1 = System.nanoTime();
        long c1 = THREADS.getCurrentThreadCpuTime();
        n += split.breakdownFirst ? baselineCopy().capacity() : breakdown().states();
        long w2 = System.nanoTime();
        long c2 = THREADS.getCurrentThreadCpuTime();
        split.breakdownMs += (split.breakdownFirst ? w1 - w0 : w2 - w1) / 1e6;
        split.copyMs += (split.breakdownFirst ? w2 - w1 : w1 - w0) / 1e6;
        split.breakdownCpuMs += (split.breakdownFirst ? c1 - c0 : c2 - c1) / 1e6;
        split.copyCpuMs += (split.breakdownFirst ? c2 - c1 : c1 - c0) / 1e6;
        return n;
    }

    /** The same bytes copied into a native buffer of the same size, nothing decoded. */
    @Benchmark
    public ByteBuffer baselineCopy() {
        return copyTarget.bytes().put(0, captured.bytes(), 0, captured.capacity());
    }
}
