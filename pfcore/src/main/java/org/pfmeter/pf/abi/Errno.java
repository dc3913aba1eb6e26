package org.pfmeter.pf.abi;

/**
 * The errno values pf answers with, in OpenBSD's numbering (sys/errno.h). The simulator answers with
 * these numbers and the JNA device receives them from the OpenBSD kernel, so both agree.
 */
public final class Errno {

    public static final int OK = 0;
    /** The largest errno (sys/errno.h: {@code ELAST}, 95 = EPROTO in 7.8 to 8.0). */
    public static final int ELAST = 95;
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int EMSGSIZE = 40;
    public static final int ENOPROTOOPT = 42;

    private Errno() {
    }

    /** The symbolic name, e.g. "EBUSY", or "errno N". */
    public static String name(int errno) {
        return switch (errno) {
            case OK -> "OK";
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case ESRCH -> "ESRCH";
            case ENXIO -> "ENXIO";
            case EBADF -> "EBADF";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case ENOTDIR -> "ENOTDIR";
            case EISDIR -> "EISDIR";
            case EINVAL -> "EINVAL";
            case ENOTTY -> "ENOTTY";
            case EMSGSIZE -> "EMSGSIZE";
            case ENOPROTOOPT -> "ENOPROTOOPT";
            default -> "errno " + errno;
        };
    }
}
