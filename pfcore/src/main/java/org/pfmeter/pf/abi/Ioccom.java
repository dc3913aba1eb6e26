package org.pfmeter.pf.abi;

/**
 * Request-number encoding of OpenBSD's sys/ioccom.h: direction bits, 13 bits of argument length,
 * the group character and the command number. Because the argument size is part of the number, a
 * struct whose size differs from the kernel's gives a request the kernel does not know (ENOTTY).
 */
public final class Ioccom {

    public static final long IOCPARM_MASK = 0x1fff;
    public static final long IOC_VOID = 0x2000_0000L;
    public static final long IOC_OUT = 0x4000_0000L;
    public static final long IOC_IN = 0x8000_0000L;
    public static final long IOC_INOUT = IOC_IN | IOC_OUT;

    private Ioccom() {
    }

    /** {@code _IOC(inout, group, num, len)}. */
    public static long ioc(long inout, char group, int num, int len) {
        return inout | ((len & IOCPARM_MASK) << 16) | ((long) group << 8) | num;
    }

    /** {@code _IOWR(g, n, t)} with {@code len = sizeof(t)}. */
    public static long iowr(char group, int num, int len) {
        return ioc(IOC_INOUT, group, num, len);
    }

    /** {@code _IO(g, n)}. */
    public static long io(char group, int num) {
        return ioc(IOC_VOID, group, num, 0);
    }

    /** {@code IOCPARM_LEN(x)}: the argument size a request number carries. */
    public static int parameterLength(long request) {
        return (int) ((request >>> 16) & IOCPARM_MASK);
    }
}
