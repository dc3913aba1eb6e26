package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Subsystem;

/** How the reader meets a kernel that changes or misbehaves during a limiter walk. */
class LimiterReaderTest {

    /** Passes calls to the simulator unless {@code answer} returns an errno for them (call number, call). */
    private static final class Meddling implements PfDevice {
        final SimulatedPf inner;
        final BiFunction<Integer, IoctlCall, Integer> answer;
        int calls;

        Meddling(SimulatedPf inner, BiFunction<Integer, IoctlCall, Integer> answer) {
            this.inner = inner;
            this.answer = answer;
        }

        @Override
        public int ioctl(IoctlCall call) {
            Integer e = answer.apply(++calls, call);
            return e != null ? e : inner.ioctl(call);
        }

        @Override
        public String kernelRelease() {
            return inner.kernelRelease();
        }

        @Override
        public String describe() {
            return "meddling " + inner.describe();
        }

        @Override
        public void close() {
        }
    }

    private static PfSnapshot poll(SimulatedPf sim, BiFunction<Integer, IoctlCall, Integer> answer) {
        return new PfReader(new Meddling(sim, answer), AbiRelease.V8_0, sim.clock()).poll();
    }

    @Test
    void aSourceLimiterThatVanishesMidWalkStartsTheReadOver() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(1));
        int[] seen = {0};
        PfSnapshot s = poll(sim, (n, c) -> c.name().equals("DIOCGETNSOURCE") && seen[0]++ == 1 ? Errno.ESRCH : null);
        assertThat(s.sourceLimiters().value().orElseThrow()).isEqualTo(sim.limiterTruth(PfReader.DEFAULT_SOURCE_TOP).sourceLimiters());
        PfSnapshot always = poll(sim, (n, c) -> c.name().equals("DIOCGETNSOURCE") ? Errno.ESRCH : null);
        PfError e = always.errors().get(Subsystem.SOURCE_LIMITERS);
        assertThat(e.kind()).isEqualTo(PfError.Kind.BUSY);
        assertThat(e.message()).contains("DIOCGETNSOURCE", "EBUSY 5 times");
        assertThat(always.stateLimiters().isOk()).as("the other subsystems still arrive").isTrue();
    }

    @Test
    void aKernelThatDoesNotKnowTheRequestsIsAnAbiMismatchNamingTheRelease() {
        SimulatedPf sim = Sims.small();
        PfSnapshot s = poll(sim, (n, c) -> c.name().startsWith("DIOCGETN") && c.name().endsWith("LIM") ? Errno.ENODEV : null);
        PfError e = s.errors().get(Subsystem.STATE_LIMITERS);
        assertThat(e.kind()).isEqualTo(PfError.Kind.ABI_MISMATCH);
        assertThat(e.message()).contains("DIOCGETNSTATELIM", "does not know this request", "pfvar.h 1.548", "--abi");
        assertThat(s.errors().get(Subsystem.SOURCE_LIMITERS).ioctl()).isEqualTo("DIOCGETNSOURCELIM");
    }

    @Test
    void entriesNotAfterTheKeyAreMalformed() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(1));
        // the kernel answers the first batch again for the second: not after the key
        PfSnapshot again = poll(sim, new BiFunction<>() {
            byte[] first;

            @Override
            public Integer apply(Integer n, IoctlCall c) {
                if (!c.name().equals("DIOCGETNSOURCE")) {
                    return null;
                }
                java.nio.ByteBuffer key = c.pointee(40).orElseThrow();
                if (first == null) {
                    first = new byte[56];
                    key.get(0, first);
                } else {
                    key.put(0, first);      // as if the caller had asked from the start again
                }
                return null;
            }
        });
        PfError e = again.errors().get(Subsystem.SOURCE_LIMITERS);
        assertThat(e.kind()).isEqualTo(PfError.Kind.MALFORMED);
        assertThat(e.message()).contains("ascending");
    }
}
