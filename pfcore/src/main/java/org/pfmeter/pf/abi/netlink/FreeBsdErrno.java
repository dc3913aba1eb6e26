package org.pfmeter.pf.abi.netlink;

/**
 * The errnos FreeBSD's pf and netlink answer pfmeter's reads with ({@code sys/sys/errno.h}). The low
 * numbers are OpenBSD's too; {@code EOPNOTSUPP}/{@code ENOTSUP} (45 on FreeBSD, where both are 45) is
 * not (OpenBSD's ENOTSUP is 91). Pinned in {@code FreeBsdPfReaderTest}.
 */
public final class FreeBsdErrno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    /** A source limiter that went away during the walk of its entries. */
    public static final int ESRCH = 3;
    public static final int EIO = 5;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EINVAL = 22;
    /** {@code EOPNOTSUPP}, which FreeBSD also names {@code ENOTSUP}: genl_handle_message's answer to an unknown command. */
    public static final int EOPNOTSUPP = 45;
    public static final int ENOBUFS = 55;

    private FreeBsdErrno() {
    }

    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case ESRCH -> "ESRCH";
            case EIO -> "EIO";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EBUSY -> "EBUSY";
            case EINVAL -> "EINVAL";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case ENOBUFS -> "ENOBUFS";
            default -> "errno " + errno;
        };
    }
}
