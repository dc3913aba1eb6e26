package org.pfmeter.pf.abi;

import com.sun.jna.LastErrorException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens the real pf device. The simulator lives in {@code org.pfmeter.pf.sim}. */
public final class PfDevices {

    public static final String DEV_PF = "/dev/pf";

    private PfDevices() {
    }

    /**
     * Opens {@code path} read-only. A host without it is told so, with the way out, and never
     * silently given fake data.
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
        } catch (UnsatisfiedLinkError e) {
            throw new NoPfException("cannot load libc to open " + path + ": " + e.getMessage());
        }
    }

    /** Uses an already-open descriptor for /dev/pf (passed by an rc.d script that opened it as root). */
    public static PfDevice fromDescriptor(int fd) throws NoPfException {
        if (fd < 0) {
            throw new NoPfException("--pf-fd must be a non-negative descriptor number, got " + fd);
        }
        try {
            return JnaPfDevice.fromDescriptor(fd);
        } catch (UnsatisfiedLinkError e) {
            throw new NoPfException("cannot load libc to use descriptor " + fd + ": " + e.getMessage());
        }
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
