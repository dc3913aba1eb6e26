package org.pfmeter.pf.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IoccomTest {

    @Test
    void encodesLikeSysIoccomH() {
        assertThat(Ioccom.iowr('D', 21, 520)).isEqualTo(0xc2084415L);   // DIOCGETSTATUS, 7.6+
        assertThat(Ioccom.iowr('D', 21, 488)).isEqualTo(0xc1e84415L);   // DIOCGETSTATUS, 7.5
        assertThat(Ioccom.io('D', 1)).isEqualTo(0x20004401L);           // DIOCSTART
        assertThat(Ioccom.iowr('D', 84, 16)).isEqualTo(0xc0104454L);   // DIOCGETSRCNODES, 7.8 - 8.0
        assertThat(Ioccom.iowr('D', 25, 16)).isEqualTo(0xc0104419L);     // DIOCGETSTATES, 7.8 – 8.0
        assertThat(Ioccom.parameterLength(0xcd604407L)).isEqualTo(3424);
    }

    @Test
    void releaseComesFromUname() {
        assertThat(AbiRelease.forKernelRelease("7.8")).isEqualTo(AbiRelease.V7_8);
        assertThat(AbiRelease.forKernelRelease("7.9")).isEqualTo(AbiRelease.V7_9);
        assertThat(AbiRelease.forKernelRelease("8.0")).isEqualTo(AbiRelease.V8_0);
        assertThat(AbiRelease.forKernelRelease("8.0-beta")).isEqualTo(AbiRelease.V8_0);
        assertThatThrownBy(() -> AbiRelease.forKernelRelease("7.5"))
                .hasMessageContaining("'7.5'").hasMessageContaining("7.8, 7.9, 8.0").hasMessageContaining("--abi");
        assertThatThrownBy(() -> AbiRelease.parse("6.9")).hasMessageContaining("supported releases: 7.8, 7.9, 8.0");
    }

    @Test
    void theRuleAndQueueStatsLayoutsAreWhatDiffersBetweenReleases() {
        PfAbi a78 = AbiRelease.V7_8.abi();
        PfAbi a80 = AbiRelease.V8_0.abi();
        for (PfIoctl io : PfIoctl.values()) {
            if (!io.presentIn(AbiRelease.V7_8)) {
                continue;       // the limiter requests: LimiterAbiTest
            }
            boolean rule = io.argument().equals("pfioc_rule");
            assertThat(a78.request(io) != a80.request(io)).as(io.name()).isEqualTo(rule);
        }
        assertThat(a78.queue().hfscSize()).isEqualTo(232);
        assertThat(a80.queue().hfscSize()).isEqualTo(272);
    }
}
