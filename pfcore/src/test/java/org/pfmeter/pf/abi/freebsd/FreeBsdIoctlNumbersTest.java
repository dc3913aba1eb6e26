package org.pfmeter.pf.abi.freebsd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * FreeBSD's request numbers: sys/sys/ioccom.h {@code _IOWR(g, n, t)} = IOC_INOUT 0xc0000000 |
 * (sizeof(t) & IOCPARM_MASK 0x1fff) << 16 | 'D' << 8 | n, with pfvar.h's numbers.
 */
class FreeBsdIoctlNumbersTest {

    @Test
    void requestNumbers() {
        assertThat(FreeBsdIoctl.DIOCGETALTQSV1.request()).isEqualTo(0xc130442fL);
        assertThat(FreeBsdIoctl.DIOCGETALTQV1.request()).isEqualTo(0xc1304430L);
        assertThat(FreeBsdIoctl.DIOCGETQSTATSV1.request()).isEqualTo(0xc0204432L);
        assertThat(FreeBsdIoctl.DIOCRGETTSTATS.request()).isEqualTo(0xc4504440L);
        assertThat(FreeBsdIoctl.DIOCIGETIFACES.request()).isEqualTo(0xc0284457L);
    }

    @Test
    void commandNumbersAndArguments() {
        assertThat(FreeBsdIoctl.DIOCGETALTQSV1.number()).isEqualTo(47);
        assertThat(FreeBsdIoctl.DIOCGETALTQV1.number()).isEqualTo(48);
        assertThat(FreeBsdIoctl.DIOCGETQSTATSV1.number()).isEqualTo(50);
        assertThat(FreeBsdIoctl.DIOCRGETTSTATS.number()).isEqualTo(64);
        assertThat(FreeBsdIoctl.DIOCIGETIFACES.number()).isEqualTo(87);
        assertThat(FreeBsdIoctl.DIOCGETALTQV1.argument().name()).isEqualTo("pfioc_altq_v1");
        assertThat(FreeBsdIoctl.of(0xc0284457L)).contains(FreeBsdIoctl.DIOCIGETIFACES);
        assertThat(FreeBsdIoctl.of(0xc0284456L)).isEmpty();
    }

    @Test
    void errnosAreFreeBsds() {
        assertThat(new int[] {FreeBsdPfProtocol.EPERM, FreeBsdPfProtocol.ENXIO, FreeBsdPfProtocol.EACCES,
                FreeBsdPfProtocol.EFAULT, FreeBsdPfProtocol.EBUSY, FreeBsdPfProtocol.ENODEV, FreeBsdPfProtocol.EINVAL})
                .containsExactly(1, 6, 13, 14, 16, 19, 22);
        assertThat(FreeBsdPfProtocol.MAX_COUNT).as("pf_ioctl_maxcount's default").isEqualTo(65535);
    }
}
