package org.pfmeter.pf.abi.netlink;

/**
 * A netlink request the kernel answered with an errno (NLMSG_ERROR, or the result in NLMSG_DONE).
 * The errno is FreeBSD's numbering ({@link FreeBsdErrno}).
 */
public final class PfnlException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String command;
    private final int errno;

    public PfnlException(String command, int errno) {
        super(command + " failed: " + FreeBsdErrno.name(errno) + " (" + errno + ")");
        this.command = command;
        this.errno = errno;
    }

    public String command() {
        return command;
    }

    public int errno() {
        return errno;
    }
}
