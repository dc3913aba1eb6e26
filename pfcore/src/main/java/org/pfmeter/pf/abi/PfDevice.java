package org.pfmeter.pf.abi;

/**
 * The pf device: {@code ioctl(fd, request, &arg)} on /dev/pf, in bytes. The JNA device on OpenBSD,
 * the simulated pf, and later recorders and replayers all implement it, so the whole decode path
 * runs the same on each.
 */
public interface PfDevice extends AutoCloseable {

    /**
     * Performs one ioctl. The argument and pointee buffers are little-endian and are updated in place
     * with what the kernel wrote back.
     *
     * @return 0, or the errno the kernel answered with (OpenBSD numbering, see {@link Errno})
     */
    int ioctl(IoctlCall call);

    /**
     * Performs one read-only sysctl(2): {@code sysctl(mib, miblen, oldp, &oldlen, NULL, 0)}. The
     * buffer is updated in place and {@link SysctlCall#oldLength()} set to what the kernel reported.
     * A device that has no sysctls to offer answers ENOPROTOOPT, as a kernel does for a protocol it
     * was built without.
     *
     * @return 0, or the errno (OpenBSD numbering, see {@link Errno})
     */
    default int sysctl(SysctlCall call) {
        return Errno.ENOPROTOOPT;
    }

    /** The kernel's release as {@code uname -r} prints it, e.g. "7.8"; chooses the ABI. */
    String kernelRelease();

    /**
     * When the host booted, if the device can tell: {@code pf_status.since} is uptime seconds, and
     * with the boot time it becomes a wall-clock start time.
     */
    default java.util.Optional<java.time.Instant> bootTime() {
        return java.util.Optional.empty();
    }

    /** A one-line description for logs: "/dev/pf", "simulated pf (seed 1)". */
    String describe();

    @Override
    void close();
}
