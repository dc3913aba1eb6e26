package org.pfmeter.pf.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The releases --abi and --sim-release take, and FreeBSD's uname -r mapped onto them. */
class PfReleaseTest {

    @Test
    void everyReleaseParsesByItsIdAndNothingElseDoes() {
        assertThat(PfRelease.supported()).isEqualTo("7.8, 7.9, 8.0, freebsd-14.3, freebsd-15.0");
        assertThat(PfRelease.parse("8.0")).isEqualTo(AbiRelease.V8_0);
        assertThat(PfRelease.parse(" freebsd-15.0 ")).isEqualTo(FreeBsdRelease.FREEBSD_15_0);
        assertThat(PfRelease.parse("freebsd-14.3")).isEqualTo(FreeBsdRelease.FREEBSD_14_3);
        assertThat(AbiRelease.V7_9.id()).isEqualTo("7.9");
        assertThat(AbiRelease.V7_9.describe()).isEqualTo("OpenBSD 7.9 pf ABI");
        assertThat(FreeBsdRelease.FREEBSD_15_0.describe()).isEqualTo("FreeBSD 15.0 pf (netlink)");
        for (String bad : new String[] {"15.0", "freebsd-15", "FreeBSD-15.0", "freebsd-13.0", ""}) {
            assertThatThrownBy(() -> PfRelease.parse(bad)).isInstanceOf(AbiRelease.UnsupportedReleaseException.class)
                    .hasMessage("release '" + bad + "' is not supported; choose one of 7.8, 7.9, 8.0, freebsd-14.3, freebsd-15.0");
        }
    }

    @Test
    void aFreeBsdKernelsUnameChoosesTheRelease() {
        assertThat(FreeBsdRelease.forRunningKernel("15.0-RELEASE-p2")).isEqualTo(FreeBsdRelease.FREEBSD_15_0);
        assertThat(FreeBsdRelease.forRunningKernel("15.1-STABLE")).isEqualTo(FreeBsdRelease.FREEBSD_15_0);
        assertThat(FreeBsdRelease.forRunningKernel("14.3-RELEASE")).isEqualTo(FreeBsdRelease.FREEBSD_14_3);
        assertThat(FreeBsdRelease.forRunningKernel("14.4-PRERELEASE")).isEqualTo(FreeBsdRelease.FREEBSD_14_3);
        for (String old : new String[] {"14.2-RELEASE", "13.5-RELEASE", "16.0-CURRENT", "", "x"}) {
            assertThatThrownBy(() -> FreeBsdRelease.forRunningKernel(old))
                    .isInstanceOf(AbiRelease.UnsupportedReleaseException.class)
                    .hasMessageContaining("supported: freebsd-14.3, freebsd-15.0")
                    .hasMessageContaining("--abi freebsd-15.0");
        }
    }
}
