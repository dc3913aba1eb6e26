package org.pfmeter.pf.os;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * JNA's native library cannot load on this host, so nothing that needs libc works: not /dev/pf, not
 * the privilege drop, not unveil(2). The message is one line that names the cause and the fixes; the
 * command line prints it as it is and exits, never with a stack trace.
 *
 * <p>On OpenBSD the usual causes are a missing libffi (JNA's OpenBSD library needs libffi.so) and a
 * libjnidispatch built on an older release that imports a libc symbol the running one no longer
 * exports (7.8 removed {@code __sF}).
 */
public final class NativeLayerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What to do about it, in the order an operator should try it. */
    static final String FIXES = "On OpenBSD: install libffi, which JNA's OpenBSD library needs (pkg_add libffi); "
            + "if it still fails (e.g. an undefined symbol in libc), build libjnidispatch on this host from JNA's sources "
            + "and start pfmeter with -Djna.boot.library.path=DIR (the directory holding libjnidispatch.so, among the JVM options), "
            + "or upgrade to a pfmeter whose JNA was built on OpenBSD 7.8 or later.";

    NativeLayerException(LinkageError cause) {
        super(message(cause, System.getProperty("os.name", "?") + " " + System.getProperty("os.version", "")), cause);
    }

    /** The one-line message for {@code cause} on host {@code host} ("OpenBSD 7.8"). */
    static String message(Throwable cause, String host) {
        return "pfmeter's native layer (JNA) cannot load on this host (" + host.trim() + "): " + cause(cause) + ". " + FIXES;
    }

    /**
     * Every distinct message down the cause chain, on one line: a NoClassDefFoundError "Could not
     * initialize class com.sun.jna.Native" carries the UnsatisfiedLinkError that says why.
     */
    static String cause(Throwable t) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable c = t; c != null && parts.size() < 5; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            parts.add(m.replaceAll("\\s+", " ").trim());
        }
        return String.join("; ", parts);
    }
}
