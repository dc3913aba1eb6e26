package org.pfmeter.pf.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pfmeter.pf.model.AddressFamily;

class LimiterAbiTest {

    @ParameterizedTest
    @EnumSource(value = AbiRelease.class, names = {"V7_9", "V8_0"})
    void theLimiterRequestsOfPfvar1548(AbiRelease release) {
        PfAbi abi = release.abi();
        // _IOWR('D', n, struct …) with the probe's sizes: 128, 208 and 64 bytes
        assertThat(abi.request(PfIoctl.DIOCGETSTATELIM)).isEqualTo(0xc0804467L);
        assertThat(abi.request(PfIoctl.DIOCGETSOURCELIM)).isEqualTo(0xc0d04468L);
        assertThat(abi.request(PfIoctl.DIOCGETSOURCE)).isEqualTo(0xc0404469L);
        assertThat(abi.request(PfIoctl.DIOCGETNSTATELIM)).isEqualTo(0xc080446aL);
        assertThat(abi.request(PfIoctl.DIOCGETNSOURCELIM)).isEqualTo(0xc0d0446bL);
        assertThat(abi.request(PfIoctl.DIOCGETNSOURCE)).isEqualTo(0xc040446cL);
        CStruct statelim = abi.struct("pfioc_statelim");
        assertThat(statelim.offset("rate", "limit")).isEqualTo(28);
        assertThat(statelim.offset("rate", "seconds")).isEqualTo(32);
        CStruct sourcelim = abi.struct("pfioc_sourcelim");
        assertThat(sourcelim.offset("rate", "limit")).isEqualTo(32);
        assertThat(sourcelim.offset("rate", "seconds")).isEqualTo(36);
        assertThat(abi.struct("pfioc_source_entry").size()).isEqualTo(56);
    }

    @Test
    void sevenEightHasNeitherTheStructsNorTheRequests() {
        PfAbi abi = AbiRelease.V7_8.abi();
        assertThat(abi.structs()).doesNotContainKeys("pfioc_statelim", "pfioc_sourcelim", "pfioc_source", "pfioc_source_entry");
        assertThat(abi.requests()).doesNotContainKeys(PfIoctl.DIOCGETNSTATELIM, PfIoctl.DIOCGETNSOURCE);
        assertThat(PfIoctl.DIOCGETNSTATELIM.presentIn(AbiRelease.V7_8)).isFalse();
        assertThat(PfIoctl.DIOCGETRULE.presentIn(AbiRelease.V7_8)).isTrue();
        assertThatThrownBy(() -> abi.request(PfIoctl.DIOCGETNSTATELIM))
                .hasMessageContaining("DIOCGETNSTATELIM does not exist in OpenBSD 7.8 (pfvar.h 1.543)");
        assertThatThrownBy(() -> new LimiterProtocol(null, abi, 1)).hasMessageContaining("7.8 has no limiters");
        // the 7.8 request numbers decode to nothing: a limiter number is no 7.8 request
        assertThat(abi.ioctl(0xc080446aL)).isEmpty();
    }

    @Test
    void onSevenEightANonPfDeviceIsStillNotPfAndTheLimitersStayNotPresent() throws Exception {
        try (PfDevice dev = PfDevices.open("/dev/null")) {
            org.pfmeter.pf.model.PfSnapshot s = new org.pfmeter.pf.PfReader(dev, AbiRelease.V7_8,
                    java.time.Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC)).poll();
            assertThat(s.stateLimiters().isNotPresent()).isTrue();
            assertThat(s.sourceLimiters().isNotPresent()).isTrue();
            assertThat(s.status().error().orElseThrow().kind()).isEqualTo(org.pfmeter.pf.model.PfError.Kind.NO_DEVICE);
            assertThat(s.rules().error().orElseThrow().message()).contains("as every pf request did: /dev/null is not pf");
        }
    }

    @Test
    void addressesPrintAsInetNtopPrintsThem() {
        byte[] v4 = new byte[16];
        v4[0] = (byte) 198;
        v4[1] = 18;
        v4[3] = 7;
        assertThat(InetText.format(AddressFamily.INET, v4)).isEqualTo("198.18.0.7");
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = (byte) 0xb8;
        v6[7] = 5;
        assertThat(InetText.format(AddressFamily.INET6, v6)).isEqualTo("2001:db8:0:5::");
        v6[15] = 1;
        assertThat(InetText.format(AddressFamily.INET6, v6)).isEqualTo("2001:db8:0:5::1");
        assertThat(InetText.format(AddressFamily.INET6, new byte[16])).isEqualTo("::");
        byte[] one = new byte[16];
        one[1] = 1;
        one[5] = 1;
        assertThat(InetText.format(AddressFamily.INET6, one)).as("a single zero word is not '::'")
                .isEqualTo("1:0:1::");
    }

    @Test
    void theNextKeyCarriesFromTheAddressIntoRdomainAndAf() {
        byte[] k = new byte[21];
        k[0] = 2;
        k[20] = (byte) 0xff;
        byte[] n = LimiterProtocol.successor(k);
        assertThat(n[19]).isEqualTo((byte) 1);
        assertThat(n[20]).isZero();
        byte[] top = new byte[21];
        java.util.Arrays.fill(top, 5, 21, (byte) 0xff);
        top[0] = 2;
        byte[] next = LimiterProtocol.successor(top);
        assertThat(next[0]).isEqualTo((byte) 2);
        assertThat(next[4]).as("rdomain + 1").isEqualTo((byte) 1);
        byte[] last = new byte[21];
        java.util.Arrays.fill(last, (byte) 0xff);
        assertThat(LimiterProtocol.successor(last)).isNull();
        assertThat(LimiterProtocol.compare(k, n)).isNegative();
    }
}
