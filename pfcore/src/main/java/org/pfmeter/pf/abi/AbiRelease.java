package org.pfmeter.pf.abi;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The OpenBSD/amd64 releases whose pf ABI pfmeter speaks, with the header revisions their layouts
 * come from. Adding a release: one constant here with its header facts, and its pinned expectations
 * in the layout tests.
 */
public enum AbiRelease implements PfRelease {
    /** pfvar.h 1.543, hfsc.h 1.14. */
    V7_8("7.8", "1.543", "1.14", false, false),
    /** pfvar.h 1.548 (state and source limiters in pf_rule), hfsc.h 1.15 (64-bit service curves). */
    V7_9("7.9", "1.548", "1.15", true, true),
    /** The 8.0 tree: same pf ABI as 7.9. */
    V8_0("8.0", "1.548", "1.15", true, true);

    private final String version;
    private final String pfvarRevision;
    private final String hfscRevision;
    private final boolean ruleLimiters;
    private final boolean hfsc64BitCurves;
    private volatile PfAbi abi;

    AbiRelease(String version, String pfvarRevision, String hfscRevision, boolean ruleLimiters, boolean hfsc64BitCurves) {
        this.version = version;
        this.pfvarRevision = pfvarRevision;
        this.hfscRevision = hfscRevision;
        this.ruleLimiters = ruleLimiters;
        this.hfsc64BitCurves = hfsc64BitCurves;
    }

    /** "7.8", "7.9", "8.0". */
    public String version() {
        return version;
    }

    /** The same as {@link #version()}: OpenBSD's releases are typed bare ("8.0"). */
    @Override
    public String id() {
        return version;
    }

    @Override
    public String describe() {
        return "OpenBSD " + version + " pf ABI";
    }

    public String pfvarRevision() {
        return pfvarRevision;
    }

    public String hfscRevision() {
        return hfscRevision;
    }

    /** {@code struct pf_rule} has {@code statelim} and {@code sourcelim} (pfvar.h 1.548). */
    public boolean hasRuleLimiters() {
        return ruleLimiters;
    }

    /**
     * pf has state and source limiters and their read requests (DIOCGETNSTATELIM, DIOCGETNSOURCELIM,
     * DIOCGETNSOURCE, …: pfvar.h 1.548); they came with the rules' {@code statelim}/{@code sourcelim}.
     */
    public boolean hasLimiters() {
        return ruleLimiters;
    }

    /** {@code struct hfsc_sc} has 64-bit m1/m2 (hfsc.h 1.15). */
    public boolean hasHfsc64BitCurves() {
        return hfsc64BitCurves;
    }

    /** The layouts and request numbers of this release (built once). */
    public PfAbi abi() {
        PfAbi a = abi;
        if (a == null) {
            synchronized (this) {
                a = abi;
                if (a == null) {
                    a = new PfAbi(this);
                    abi = a;
                }
            }
        }
        return a;
    }

    /** The releases as a user would type them: "7.8, 7.9, 8.0". */
    public static String supported() {
        return Arrays.stream(values()).map(AbiRelease::version).collect(Collectors.joining(", "));
    }

    /** Parses "7.8", "8.0" (as given to {@code --abi}). */
    public static AbiRelease parse(String version) {
        for (AbiRelease r : values()) {
            if (r.version.equals(version)) {
                return r;
            }
        }
        throw new UnsupportedReleaseException("OpenBSD release '" + version + "' is not supported; supported releases: "
                + supported() + ".");
    }

    /**
     * Chooses the release from the running kernel's {@code uname -r} ("7.8", "8.0" for a beta or
     * -current kernel; a suffix after the version is ignored).
     */
    public static AbiRelease forKernelRelease(String unameRelease) {
        String v = unameRelease == null ? "" : unameRelease.trim();
        int end = 0;
        while (end < v.length() && (Character.isDigit(v.charAt(end)) || v.charAt(end) == '.')) {
            end++;
        }
        String version = v.substring(0, end);
        for (AbiRelease r : values()) {
            if (r.version.equals(version)) {
                return r;
            }
        }
        throw new UnsupportedReleaseException("the running kernel is OpenBSD '" + unameRelease
                + "', whose pf ABI pfmeter does not know; supported releases: " + supported()
                + ". If its pf headers match one of them, force it with --abi RELEASE.");
    }

    /** An unknown or unsupported release. */
    public static final class UnsupportedReleaseException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public UnsupportedReleaseException(String message) {
            super(message);
        }
    }
}
