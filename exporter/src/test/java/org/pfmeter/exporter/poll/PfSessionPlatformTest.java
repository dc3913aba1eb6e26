package org.pfmeter.exporter.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.abi.PfDevices.NoPfException;

/** Which platform's pf a host reads: its system, unless --abi forces a release of the same system. */
class PfSessionPlatformTest {

    @Test
    void theHostsSystemChoosesWithoutAbi() throws NoPfException {
        assertThat(PfSession.platformFor("FreeBSD", Optional.empty())).isEqualTo(PfSession.Platform.FREEBSD);
        assertThat(PfSession.platformFor("OpenBSD", Optional.empty())).isEqualTo(PfSession.Platform.OPENBSD);
        assertThat(PfSession.platformFor("Linux", Optional.empty()))
                .as("elsewhere OpenBSD's device opening says there is no pf and how to simulate")
                .isEqualTo(PfSession.Platform.OPENBSD);
        assertThat(PfSession.platformFor("FreeBSD", Optional.of(FreeBsdRelease.FREEBSD_14_3))).isEqualTo(PfSession.Platform.FREEBSD);
        assertThat(PfSession.platformFor("OpenBSD", Optional.of(AbiRelease.V7_8))).isEqualTo(PfSession.Platform.OPENBSD);
    }

    @Test
    void aForcedReleaseOfAnotherSystemIsAnError() {
        assertThatThrownBy(() -> PfSession.platformFor("Linux", Optional.of(FreeBsdRelease.FREEBSD_15_0)))
                .isInstanceOf(NoPfException.class)
                .hasMessage("--abi freebsd-15.0 reads FreeBSD's pf, but this host runs Linux; use --simulate "
                        + "--sim-release freebsd-15.0 to try pfmeter here");
        assertThatThrownBy(() -> PfSession.platformFor("FreeBSD", Optional.of(AbiRelease.V8_0)))
                .isInstanceOf(NoPfException.class)
                .hasMessage("--abi 8.0 is an OpenBSD release, but this host runs FreeBSD: choose freebsd-14.3, "
                        + "freebsd-15.0, or leave --abi out to use the kernel's");
    }
}
