package org.pfmeter.pf.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Subsystem;

/**
 * The JNA device off OpenBSD, on /dev/null: the variadic ioctl really reaches the kernel (which answers
 * ENOTTY), and both ways a user can get here say that the device is not pf.
 */
class JnaPfDeviceTest {

    @Test
    void theIoctlReachesTheKernelWhichAnswersEnottyForDevNull() throws Exception {
        assertThat(System.getProperty("os.name")).as("this test describes the other platforms").isNotEqualToIgnoringCase("OpenBSD");
        try (PfDevice dev = PfDevices.open("/dev/null")) {
            PfAbi abi = AbiRelease.V7_8.abi();
            ByteBuffer status = ByteBuffer.allocate(abi.struct("pf_status").size()).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(dev.ioctl(new IoctlCall("DIOCGETSTATUS", abi.request(PfIoctl.DIOCGETSTATUS), status, java.util.List.of()))).isEqualTo(Errno.ENOTTY);
            assertThat(PfDevices.isKernelDevice(dev)).isTrue();
        }
    }

    @Test
    void choosingTheReleaseOffOpenBsdSaysTheHostIsNotOpenBsd() throws Exception {
        String os = System.getProperty("os.name");
        String release = System.getProperty("os.version");
        try (PfDevice dev = PfDevices.open("/dev/null")) {
            assertThatThrownBy(() -> PfDevices.release(dev)).isInstanceOf(PfDevices.NoPfException.class)
                    .hasMessage("this host runs " + os + " " + release + ", not OpenBSD: /dev/null is not pf "
                            + "(pfmeter reads pf on OpenBSD 7.8, 7.9, 8.0); use --simulate to try pfmeter here")
                    .message().doesNotContain("OpenBSD '");
        }
    }

    @Test
    void theMessageNamesTheHostsSystem() {
        assertThat(PfDevices.notOpenBsd("Linux", "6.18.2-arch1-1", "/dev/pf (fd 3)")).isEqualTo("this host runs Linux 6.18.2-arch1-1, "
                + "not OpenBSD: /dev/pf (fd 3) is not pf (pfmeter reads pf on OpenBSD 7.8, 7.9, 8.0); use --simulate to try pfmeter here");
        assertThat(PfDevices.notOpenBsd("", "", "/dev/pf")).startsWith("this host runs an unknown system, not OpenBSD: /dev/pf is not pf");
        assertThat(PfDevices.isOpenBsd("OpenBSD")).isTrue();
        assertThat(PfDevices.isOpenBsd("Linux")).isFalse();
        assertThat(PfDevices.isOpenBsd("FreeBSD")).isFalse();
    }

    @Test
    void withTheReleaseForcedEveryRequestAnsweredEnottySaysTheDeviceIsNotPf() throws Exception {
        try (PfDevice dev = PfDevices.open("/dev/null")) {
            PfSnapshot s = new PfReader(dev, AbiRelease.V8_0, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)).poll();
            for (Subsystem sub : Subsystem.values()) {
                if (sub == Subsystem.PFSYNC || sub == Subsystem.TABLE_ADDRESSES) {
                    continue;                // a sysctl, not a request to the device (no sysctl(2) in glibc: not present)
                }
                PfError e = s.result(sub).error().orElseThrow();
                assertThat(e.kind()).as("%s", sub).isEqualTo(PfError.Kind.NO_DEVICE);
                assertThat(e.errnoName()).isEqualTo("ENOTTY");
                assertThat(e.message()).contains("failed with ENOTTY, as every pf request did: /dev/null is not pf")
                        .contains("--simulate").doesNotContain("layout");
            }
        }
    }
}
