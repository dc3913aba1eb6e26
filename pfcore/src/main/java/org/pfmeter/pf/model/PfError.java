package org.pfmeter.pf.model;

/**
 * Why reading a subsystem failed: which ioctl, which errno (OpenBSD numbering, 0 when the failure was
 * not an errno, e.g. a malformed answer), what kind of failure, and a message that says what to do.
 */
public record PfError(Kind kind, String ioctl, int errno, String errnoName, String message) {

    /** Failure classes, each with its own advice. */
    public enum Kind {
        /** EACCES/EPERM: descriptor not permitted or securelevel. */
        PERMISSION,
        /** ENOTTY/ENODEV: the kernel does not speak the selected ABI release. */
        ABI_MISMATCH,
        /** No /dev/pf on this host. */
        NO_DEVICE,
        /** EBUSY retries exhausted: the ruleset kept changing. */
        BUSY,
        /** The answer could not be decoded (lengths or counts that do not fit). */
        MALFORMED,
        /** Anything else. */
        OTHER
    }

    @Override
    public String toString() {
        return message;
    }
}
