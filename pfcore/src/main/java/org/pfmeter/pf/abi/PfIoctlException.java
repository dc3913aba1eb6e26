package org.pfmeter.pf.abi;

import org.pfmeter.pf.model.PfError;

/** An ioctl answered with an errno, or an answer that could not be decoded: says what to do about it. */
public final class PfIoctlException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient PfError error;

    public PfIoctlException(PfError error) {
        super(error.message());
        this.error = error;
    }

    public PfError error() {
        return error;
    }

    /** An ABI mismatch seen through another errno than ENOTTY/ENODEV (or none), with what was observed. */
    public static PfIoctlException abiMismatch(String ioctl, int errno, AbiRelease release, String observed) {
        return new PfIoctlException(new PfError(PfError.Kind.ABI_MISMATCH, ioctl, errno, errno == 0 ? "" : Errno.name(errno),
                ioctl + ": " + observed + ": the kernel does not use the OpenBSD " + release.version()
                        + " layout: run 'pfmeter abi --release " + release.version()
                        + "' and compare with the kernel's headers, or choose the release with --abi"));
    }

    /** Builds the error for {@code ioctl} failing with {@code errno} under the given release's ABI. */
    public static PfIoctlException of(String ioctl, int errno, AbiRelease release) {
        String name = Errno.name(errno);
        PfError.Kind kind;
        String advice;
        switch (errno) {
            case Errno.EACCES, Errno.EPERM -> {
                kind = PfError.Kind.PERMISSION;
                advice = "the kernel refused it: /dev/pf must be opened by a user allowed to read it (see --pf-fd), "
                        + "and at securelevel 2 only some reads are allowed";
            }
            case Errno.ENOTTY, Errno.ENODEV -> {
                kind = PfError.Kind.ABI_MISMATCH;
                advice = "the kernel does not accept the OpenBSD " + release.version()
                        + " layout pfmeter used (struct size or element size differs): run 'pfmeter abi --release "
                        + release.version() + "' and compare with the kernel's headers, or choose the release with --abi";
            }
            case Errno.EBUSY -> {
                kind = PfError.Kind.BUSY;
                advice = "the ruleset kept changing while it was read; the next poll tries again";
            }
            default -> {
                kind = PfError.Kind.OTHER;
                advice = "unexpected answer from pf";
            }
        }
        return new PfIoctlException(new PfError(kind, ioctl, errno, name, ioctl + " failed with " + name + ": " + advice));
    }

    public static PfIoctlException malformed(String ioctl, String what) {
        return new PfIoctlException(new PfError(PfError.Kind.MALFORMED, ioctl, 0, "", ioctl + " answered with malformed data: " + what));
    }

    public static PfIoctlException busy(String ioctl, int attempts) {
        return new PfIoctlException(new PfError(PfError.Kind.BUSY, ioctl, Errno.EBUSY, "EBUSY",
                ioctl + " failed with EBUSY " + attempts + " times in a row: the ruleset kept changing while it was read; the next poll tries again"));
    }
}
