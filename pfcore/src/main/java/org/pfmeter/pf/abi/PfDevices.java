package org.pfmeter.pf.abi;

import com.sun.jna.LastErrorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.pfmeter.pf.os.NativeLayerException;

/** Opens the real pf device. The simulator lives in {@code org.pfmeter.pf.sim}. */
public final class PfDevices {

    public static final String DEV_PF = "/dev/pf";

    private PfDevices() {
    }

    /**
     * Opens {@code path} read-only. A host without it is told so, with the way out, and never
     * silently given fake data.
     *
     * @throws NativeLayerException when the native layer cannot load on this host
     */
    public static PfDevice open(String path) throws NoPfException {
        if (!Files.exists(Path.of(path))) {
            throw new NoPfException(path + " does not exist: this host has no pf (pfmeter needs OpenBSD). "
                    + "To try pfmeter here, run it against the simulated pf with --simulate.");
        }
        try {
            return JnaPfDevice.open(path);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            String why = switch (errno) {
                case Errno.EACCES, Errno.EPERM -> "permission denied: run pfmeter as a user that may read " + path
                        + " (see exporter/README.md, \"Running on OpenBSD\": open it as root and pass it with --pf-fd,"
                        + " or use a group with read access)";
                case Errno.ENOENT, Errno.ENXIO, Errno.ENODEV -> "no such device: this host has no pf; use --simulate to run against the simulated pf";
                default -> "errno " + errno;
            };
            throw new NoPfException("cannot open " + path + ": " + why);
        }
    }

    /**
     * Uses an already-open descriptor for /dev/pf (passed by an rc.d script that opened it as root).
     *
     * @throws NativeLayerException when the native layer cannot load on this host
     */
    public static PfDevice fromDescriptor(int fd) throws NoPfException {
        if (fd < 0) {
            throw new NoPfException("--pf-fd must be a non-negative descriptor number, got " + fd);
        }
        return JnaPfDevice.fromDescriptor(fd);
    }

    /**
     * The pf ABI release of the kernel behind {@code device}, from its {@code uname -r}: the host's
     * kernel for a device opened here, the simulated or recorded one otherwise.
     *
     * @throws NoPfException when {@code device} was opened here and this host is not OpenBSD, whose
     *                       kernel release would otherwise be mistaken for an OpenBSD one
     * @throws AbiRelease.UnsupportedReleaseException when the OpenBSD release is not supported
     */
    public static AbiRelease release(PfDevice device) throws NoPfException {
        if (device instanceof JnaPfDevice host && !isOpenBsd(host.hostOs())) {
            throw new NoPfException(notOpenBsd(host.hostOs(), host.kernelRelease(), device.describe()));
        }
        return AbiRelease.forKernelRelease(device.kernelRelease());
    }

    static boolean isOpenBsd(String osName) {
        return osName.toLowerCase(Locale.ROOT).startsWith("openbsd");
    }

    /** Says that {@code device} on a host running {@code os} {@code release} cannot be OpenBSD's pf. */
    static String notOpenBsd(String os, String release, String device) {
        return "this host runs " + (os.isBlank() ? "an unknown system" : os) + (release.isBlank() ? "" : " " + release)
                + ", not OpenBSD: " + device + " is not pf (pfmeter reads pf on OpenBSD " + AbiRelease.supported()
                + "); use --simulate to try pfmeter here";
    }

    /**
     * True when {@code device} is the kernel's pf (opened by path or inherited descriptor), false for
     * the simulator and replayed traces: only the real device makes keeping root dangerous.
     */
    public static boolean isKernelDevice(PfDevice device) {
        return device instanceof JnaPfDevice;
    }

    /** There is no usable pf device: the message says why and what to do. */
    public static final class NoPfException extends Exception {
        private static final long serialVersionUID = 1L;

        public NoPfException(String message) {
            super(message);
        }
    }
}
