package org.pfmeter.pf.abi.freebsd;

import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.Ioccom;

/**
 * The /dev/pf requests pfmeter sends to FreeBSD, numbered as sys/net/pfvar.h defines them with
 * sys/sys/ioccom.h's {@code _IOWR} (IOC_INOUT, 13 bits of argument length: IOCPARM_MASK 0x1fff,
 * IOCPARM_SHIFT 16, group {@code 'D'}), the same encoding as OpenBSD's. The argument size is part of
 * the number, so a struct of the wrong size is a request the kernel does not know (its pfioctl()
 * switch answers ENODEV by default). Numbers are pinned by FreeBsdIoctlNumbersTest.
 */
public enum FreeBsdIoctl {
    /** {@code _IOWR('D', 47, struct pfioc_altq_v1)}: number of ALTQ entries and the active ticket. */
    DIOCGETALTQSV1(47, FreeBsdStructs.PFIOC_ALTQ_V1),
    /** {@code _IOWR('D', 48, struct pfioc_altq_v1)}: entry {@code nr} of the active set. */
    DIOCGETALTQV1(48, FreeBsdStructs.PFIOC_ALTQ_V1),
    /** {@code _IOWR('D', 50, struct pfioc_qstats_v1)}: the class statistics of entry {@code nr}. */
    DIOCGETQSTATSV1(50, FreeBsdStructs.PFIOC_QSTATS_V1),
    /** {@code _IOWR('D', 64, struct pfioc_table)}: table statistics. */
    DIOCRGETTSTATS(64, FreeBsdStructs.PFIOC_TABLE),
    /** {@code _IOWR('D', 87, struct pfioc_iface)}: interfaces and groups. */
    DIOCIGETIFACES(87, FreeBsdStructs.PFIOC_IFACE);

    /** The ioctl group of pf's requests. */
    public static final char GROUP = 'D';

    private final int number;
    private final CStruct argument;

    FreeBsdIoctl(int number, CStruct argument) {
        this.number = number;
        this.argument = argument;
    }

    public int number() {
        return number;
    }

    public CStruct argument() {
        return argument;
    }

    /** The request number as ioctl(2) takes it. */
    public long request() {
        return Ioccom.iowr(GROUP, number, argument.size());
    }

    /** The request a number names, if pfmeter sends it. */
    public static java.util.Optional<FreeBsdIoctl> of(long request) {
        for (FreeBsdIoctl io : values()) {
            if (io.request() == request) {
                return java.util.Optional.of(io);
            }
        }
        return java.util.Optional.empty();
    }
}
