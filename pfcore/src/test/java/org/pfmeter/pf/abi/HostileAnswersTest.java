package org.pfmeter.pf.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.Rules;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/** One regression test per decoder bug the fuzzer ({@code DecoderFuzzTest}) found or could find. */
class HostileAnswersTest {

    private static final PfAbi ABI = AbiRelease.V8_0.abi();
    private static final Duration GUARD = Duration.ofSeconds(20);

    /** What the lying kernel does after the simulated one answered: returns the errno to report. */
    @FunctionalInterface
    interface Lie {
        int after(IoctlCall call, int errno);
    }

    /** The simulated pf with a lie told after every answer. */
    static final class LyingPf implements PfDevice {
        final SimulatedPf sim = new SimulatedPf(SimConfig.defaults(), SimClock.manual(Instant.parse("2026-11-02T08:00:00Z")));
        final Lie lie;
        final AtomicInteger calls = new AtomicInteger();
        int largestPointee;
        int xend;
        int walks;

        LyingPf(Lie lie) {
            this.lie = lie;
        }

        @Override
        public int ioctl(IoctlCall call) {
            calls.incrementAndGet();
            for (IoctlCall.Pointee p : call.pointees()) {
                largestPointee = Math.max(largestPointee, p.buffer().capacity());
            }
            if (call.name().equals("DIOCXEND")) {
                xend++;
            }
            if (call.name().equals("DIOCGETRULES")) {
                walks++;
            }
            return lie.after(call, sim.ioctl(call));
        }

        @Override
        public String kernelRelease() {
            return sim.kernelRelease();
        }

        @Override
        public String describe() {
            return "lying " + sim.describe();
        }

        @Override
        public void close() {
            sim.close();
        }
    }

    private static PfError.Kind kind(ThrowingRead r) {
        try {
            assertTimeoutPreemptively(GUARD, r::read);
        } catch (Throwable t) {
            if (t instanceof PfIoctlException e) {
                return e.error().kind();
            }
            throw new AssertionError("untyped failure: " + t, t);
        }
        throw new AssertionError("no error");
    }

    @FunctionalInterface
    interface ThrowingRead {
        void read() throws Throwable;
    }

    private static final int RULESET_NR = ABI.struct("pfioc_ruleset").offset("nr");
    private static final int RULESET_NAME = ABI.struct("pfioc_ruleset").offset("name");

    /** Every ruleset claims one child with the given name, found whatever the path. */
    private static LyingPf endlessAnchors(String name) {
        return new LyingPf((call, errno) -> {
            if (call.name().equals("DIOCGETRULESETS")) {
                call.argument().putInt(RULESET_NR, 1);
                return 0;
            }
            if (call.name().equals("DIOCGETRULESET")) {
                NativeBytes.putCString(call.argument(), RULESET_NAME, PfConstants.PF_ANCHOR_NAME_SIZE, name);
                return 0;
            }
            return errno;
        });
    }

    @Test
    void anAnchorWithAnEmptyNameIsMalformedNotAnEndlessRecursion() {
        // before: "" + "" listed the main ruleset again until the stack overflowed
        LyingPf pf = endlessAnchors("");
        assertThat(kind(() -> new PfProtocol(pf, ABI).readRules())).isEqualTo(PfError.Kind.MALFORMED);
    }

    @Test
    void anchorsNestingForeverStopAtPathMax() {
        // before: a/a/a/… grew until putCString threw an IllegalArgumentException
        LyingPf pf = endlessAnchors("a");
        assertThat(kind(() -> new PfProtocol(pf, ABI).readRules())).isEqualTo(PfError.Kind.MALFORMED);
    }

    @Test
    void anAnchorNameWithASlashIsMalformed() {
        LyingPf pf = endlessAnchors("x/y");
        assertThat(kind(() -> new PfProtocol(pf, ABI).readRules())).isEqualTo(PfError.Kind.MALFORMED);
    }

    @Test
    void aHugeTableCountIsRefusedBeforeAnythingIsAllocated() {
        // before: up to 2^20 tables were accepted, a 1.4 GB buffer for one answer
        int size = ABI.struct("pfioc_table").offset("pfrio_size");
        LyingPf pf = new LyingPf((call, errno) -> {
            if (call.name().equals("DIOCRGETTSTATS")) {
                call.argument().putInt(size, 1 << 20);
            }
            return errno;
        });
        assertThat(kind(() -> new PfProtocol(pf, ABI).readTables())).isEqualTo(PfError.Kind.MALFORMED);
        assertThat((long) pf.largestPointee).isLessThanOrEqualTo((long) PfProtocol.MAX_TABLES * ABI.tstats().size());
    }

    @Test
    void aTableCountAtTheCapIsReadWithABufferOfTheCap() {
        int size = ABI.struct("pfioc_table").offset("pfrio_size");
        LyingPf pf = new LyingPf((call, errno) -> {
            if (call.name().equals("DIOCRGETTSTATS") && call.pointees().get(0).buffer().capacity() == 0) {
                call.argument().putInt(size, PfProtocol.MAX_TABLES);   // "that many", then the real (short) list
            }
            return errno;
        });
        assertTimeoutPreemptively(GUARD, () -> assertThat(new PfProtocol(pf, ABI).readTables()).hasSize(8));
        assertThat(pf.largestPointee).isEqualTo(PfProtocol.MAX_TABLES * ABI.tstats().size());
    }

    @Test
    void aRuleWalkThatNeverEndsIsRefusedAndItsTicketReleased() {
        // before: 2^32 − 1 announced rules and a kernel that never says ENOENT ran for hours
        int nr = ABI.rule().nr;
        LyingPf pf = new LyingPf((call, errno) -> {
            if (call.name().equals("DIOCGETRULES")) {
                NativeBytes.putU32(call.argument(), nr, 0xffff_ffffL);
            }
            return call.name().equals("DIOCGETRULE") && errno == Errno.ENOENT ? 0 : errno;
        });
        assertThat(kind(() -> new PfProtocol(pf, ABI).readRules())).isEqualTo(PfError.Kind.MALFORMED);
        assertThat(pf.xend).isEqualTo(1);
        assertThat(pf.calls.get()).isLessThan(100);
    }

    @Test
    void aTicketOrAnchorTheKernelOverwroteIsNotSentBack() throws PfIoctlException {
        // before: the walk sent the overwritten ticket with the next DIOCGETRULE and failed with ENXIO
        Rules clean = new PfProtocol(new LyingPf((call, errno) -> errno), ABI).readRules();
        LyingPf pf = new LyingPf((call, errno) -> {
            if (call.name().equals("DIOCGETRULE") && errno == 0) {
                NativeBytes.putU32(call.argument(), ABI.rule().ticket, 0xdead);
                call.argument().put(ABI.rule().anchor, (byte) '#');
            }
            return errno;
        });
        Rules lied = new PfProtocol(pf, ABI).readRules();
        assertThat(lied.labels()).isEqualTo(clean.labels());
        assertThat(lied.rules()).hasSameSizeAs(clean.rules());
    }

    @Test
    void anElementSizeTheKernelChangedIsAnAbiMismatch() {
        int ifaceEsize = ABI.struct("pfioc_iface").offset("pfiio_esize");
        int tableEsize = ABI.struct("pfioc_table").offset("pfrio_esize");
        LyingPf pf = new LyingPf((call, errno) -> {
            if (call.name().equals("DIOCIGETIFACES")) {
                call.argument().putInt(ifaceEsize, 248);
            }
            if (call.name().equals("DIOCRGETTSTATS")) {
                call.argument().putInt(tableEsize, 1064);
            }
            return errno;
        });
        assertThat(kind(() -> new PfProtocol(pf, ABI).readInterfaces())).isEqualTo(PfError.Kind.ABI_MISMATCH);
        assertThat(kind(() -> new PfProtocol(pf, ABI).readTables())).isEqualTo(PfError.Kind.ABI_MISMATCH);
    }

    @Test
    void aStaleTicketThatStaysStaleEndsAsBusy() {
        LyingPf pf = new LyingPf((call, errno) -> call.name().equals("DIOCGETRULE") ? Errno.EBUSY : errno);
        assertThat(kind(() -> new PfProtocol(pf, ABI, 3).readRules())).isEqualTo(PfError.Kind.BUSY);
        assertThat(pf.xend).as("every ticket released").isEqualTo(pf.walks).isEqualTo(3);
    }

    @Test
    void aNameWithoutNulIsMalformed() {
        int label = ABI.struct("pfioc_rule").offset("rule", "label");
        LyingPf pf = new LyingPf((call, errno) -> {
            if (call.name().equals("DIOCGETRULE") && errno == 0) {
                for (int i = 0; i < PfConstants.PF_RULE_LABEL_SIZE; i++) {
                    call.argument().put(label + i, (byte) 'L');
                }
            }
            return errno;
        });
        assertThatThrownBy(() -> new PfProtocol(pf, ABI).readRules()).isInstanceOfSatisfying(PfIoctlException.class,
                e -> assertThat(e.error().kind()).isEqualTo(PfError.Kind.MALFORMED));
    }

    @Test
    void anUnknownSyncookieModeIsMalformed() {
        // found by the fuzzer: SyncookieMode.of threw an IllegalArgumentException out of the reader
        int mode = ABI.struct("pf_status").offset("syncookies_mode");
        LyingPf pf = new LyingPf((call, errno) -> {
            if (call.name().equals("DIOCGETSTATUS")) {
                call.argument().put(mode, (byte) 134);
            }
            return errno;
        });
        assertThat(kind(() -> new PfProtocol(pf, ABI).readStatus())).isEqualTo(PfError.Kind.MALFORMED);
    }
}
