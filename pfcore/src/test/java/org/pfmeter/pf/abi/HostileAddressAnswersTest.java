package org.pfmeter.pf.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimConfig;
import org.pfmeter.pf.sim.SimulatedPf;

/** DIOCRGETASTATS and the pfsync sysctl answering what no kernel would: typed errors, bounded buffers. */
class HostileAddressAnswersTest {

    private static final PfAbi ABI = AbiRelease.V8_0.abi();
    private static final List<TableKey> ACME = List.of(new TableKey("customers/acme", "acme-nets"));
    private static final int SIZE = ABI.struct("pfioc_table").offset("pfrio_size");
    private static final int ESIZE = ABI.struct("pfioc_table").offset("pfrio_esize");
    private static final int AF = ABI.struct("pfr_astats").offset("pfras_a", "pfra_af");
    private static final int NET = ABI.struct("pfr_astats").offset("pfras_a", "pfra_net");

    private static PfError.Kind kind(HostileAnswersTest.LyingPf pf) {
        try {
            new PfProtocol(pf, ABI).readTableAddresses(ACME);
        } catch (PfIoctlException e) {
            return e.error().kind();
        }
        throw new AssertionError("no error");
    }

    private static ByteBuffer buffer(IoctlCall call) {
        return call.pointees().get(0).buffer();
    }

    @Test
    void anAddressFamilyOtherThanInetOrInet6IsMalformed() {
        assertThat(kind(new HostileAnswersTest.LyingPf((call, errno) -> {
            if (call.name().equals("DIOCRGETASTATS") && call.argument().getInt(SIZE) == 12) {
                buffer(call).put(AF, (byte) 17);
            }
            return errno;
        }))).isEqualTo(PfError.Kind.MALFORMED);
    }

    @Test
    void aPrefixLongerThanTheAddressIsMalformed() {
        assertThat(kind(new HostileAnswersTest.LyingPf((call, errno) -> {
            if (call.name().equals("DIOCRGETASTATS") && call.argument().getInt(SIZE) == 12) {
                buffer(call).put(NET, (byte) 33);
            }
            return errno;
        }))).isEqualTo(PfError.Kind.MALFORMED);
    }

    @Test
    void aHugeOrNegativeCountIsRefusedBeforeAnythingIsAllocated() {
        for (int lie : new int[] {1 << 24, -5}) {
            HostileAnswersTest.LyingPf pf = new HostileAnswersTest.LyingPf((call, errno) -> {
                if (call.name().equals("DIOCRGETASTATS")) {
                    call.argument().putInt(SIZE, lie);
                }
                return errno;
            });
            assertThat(kind(pf)).isEqualTo(PfError.Kind.MALFORMED);
            assertThat((long) pf.largestPointee).isLessThanOrEqualTo((long) PfProtocol.MAX_TABLE_ADDRESSES * ABI.astats().size());
        }
    }

    @Test
    void aCountThatKeepsGrowingEndsAsBusyAndAChangedElementSizeAsAbiMismatch() {
        HostileAnswersTest.LyingPf growing = new HostileAnswersTest.LyingPf((call, errno) -> {
            if (call.name().equals("DIOCRGETASTATS")) {
                // always one more entry than the buffer holds: entries added faster than they are read
                call.argument().putInt(SIZE, buffer(call).capacity() / ABI.astats().size() + 1);
            }
            return errno;
        });
        assertThat(kind(growing)).isEqualTo(PfError.Kind.BUSY);
        assertThat(kind(new HostileAnswersTest.LyingPf((call, errno) -> {
            if (call.name().equals("DIOCRGETASTATS")) {
                call.argument().putInt(ESIZE, 152);
            }
            return errno;
        }))).isEqualTo(PfError.Kind.ABI_MISMATCH);
    }

    @Test
    void aPfsyncAnswerOfAnotherLengthIsAnAbiMismatch() {
        SimulatedPf sim = new SimulatedPf(SimConfig.defaults().withPfsync(true), SimClock.manual(Instant.parse("2026-11-02T08:00:00Z")));
        PfDevice shorter = new PfDevice() {
            @Override
            public int ioctl(IoctlCall call) {
                return sim.ioctl(call);
            }

            @Override
            public int sysctl(SysctlCall call) {
                int errno = sim.sysctl(call);
                call.oldLength(120);
                return errno;
            }

            @Override
            public String kernelRelease() {
                return sim.kernelRelease();
            }

            @Override
            public String describe() {
                return "short pfsyncstats";
            }

            @Override
            public void close() {
            }
        };
        try {
            new PfProtocol(shorter, ABI).readPfsync();
            throw new AssertionError("no error");
        } catch (PfIoctlException e) {
            assertThat(e.error().kind()).isEqualTo(PfError.Kind.ABI_MISMATCH);
            assertThat(e.getMessage()).contains("net.inet.pfsync.stats", "120 bytes", "128");
        }
    }
}
