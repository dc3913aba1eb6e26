package org.pfmeter.pf.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Platform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * OpenBSD's unveil(2): after start-up the process sees only the paths it was given, with the
 * permissions it was given, and {@code unveil(NULL, NULL)} locks the list so it can never widen.
 * Everywhere else it is an honest no-op: {@link #restrict} says it is not available instead of
 * pretending.
 */
public final class Unveil {

    /** ENOENT on OpenBSD (sys/errno.h): a path whose parent directory does not exist. */
    static final int ENOENT = 2;

    /**
     * One path and what may be done there: any of r (read), w (write), x (execute), c (create and
     * remove), as unveil(2) takes them.
     */
    public record Rule(Path path, String permissions) {
        public Rule {
            Objects.requireNonNull(path, "path");
            if (permissions.isEmpty() || !permissions.chars().allMatch(ch -> "rwxc".indexOf(ch) >= 0)
                    || permissions.chars().distinct().count() != permissions.length()) {
                throw new IllegalArgumentException("unveil permissions are some of r, w, x, c, each once; got '" + permissions + "'");
            }
        }

        @Override
        public String toString() {
            return path + " (" + permissions + ")";
        }
    }

    /**
     * What happened.
     *
     * @param applied true when the view is restricted and locked
     * @param skipped rules whose path's parent does not exist (unveil(2) refuses them with ENOENT; the
     *                path stays invisible, which is stricter, not looser)
     * @param detail  one line for the log
     */
    public record Result(boolean applied, List<Rule> skipped, String detail) {
    }

    /** unveil(2) failed for a reason other than a missing path: the caller must not go on. */
    public static final class UnveilException extends Exception {
        private static final long serialVersionUID = 1L;

        public UnveilException(String message) {
            super(message);
        }
    }

    private Unveil() {
    }

    /** True on OpenBSD, the one platform with unveil(2). */
    public static boolean available() {
        return Platform.isOpenBSD();
    }

    /**
     * Restricts the filesystem view to {@code rules} and locks it. Not available: returns without
     * touching anything and says so in the result.
     *
     * @throws NativeLayerException on OpenBSD, when the native layer cannot load
     */
    public static Result restrict(List<Rule> rules) throws UnveilException {
        if (!available()) {
            return new Result(false, List.of(), "unveil(2) is not available on " + System.getProperty("os.name")
                    + " (OpenBSD only): the filesystem view is not restricted");
        }
        LibC libc = LibC.instance();
        List<Rule> skipped = new ArrayList<>();
        for (Rule r : rules) {
            try {
                libc.unveil(r.path().toString(), r.permissions());
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENOENT) {
                    skipped.add(r);
                    continue;
                }
                throw new UnveilException("unveil(" + r.path() + ", \"" + r.permissions() + "\") failed (errno "
                        + e.getErrorCode() + "); refusing to run with an unrestricted filesystem view");
            }
        }
        try {
            libc.unveil(null, null);
        } catch (LastErrorException e) {
            throw new UnveilException("locking unveil(2) failed (errno " + e.getErrorCode() + "); refusing to go on");
        }
        return new Result(true, List.copyOf(skipped), "unveil(2): the filesystem view is restricted to "
                + (rules.size() - skipped.size()) + " paths and locked");
    }
}
