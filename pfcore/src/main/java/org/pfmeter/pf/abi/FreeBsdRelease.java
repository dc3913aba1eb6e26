package org.pfmeter.pf.abi;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The FreeBSD releases whose pf pfmeter reads (FreeBSD itself, pfSense and OPNsense on top of it).
 * Both speak generic netlink, family "pfctl"; which commands a kernel has is learnt from the family's
 * operation list at run time, so the release chiefly names what the kernel is and what the simulator
 * speaks (see pfcore/README.md, "FreeBSD").
 */
public enum FreeBsdRelease implements PfRelease {
    /** FreeBSD 14.3 (OPNsense's 14-based tree): part of the netlink family, the nvlist ioctls. */
    V14_3("14.3"),
    /** FreeBSD 15.0 (pfSense's 15-based tree): DIOCGETSTATUS and DIOCGETRULE gone, netlink only. */
    V15_0("15.0");

    private final String version;

    FreeBsdRelease(String version) {
        this.version = version;
    }

    /** "14.3", "15.0". */
    public String version() {
        return version;
    }

    @Override
    public String id() {
        return "freebsd-" + version;
    }

    @Override
    public String describe() {
        return "FreeBSD " + version + " pf (netlink)";
    }

    /** "freebsd-14.3, freebsd-15.0". */
    public static String supported() {
        return Arrays.stream(values()).map(FreeBsdRelease::id).collect(Collectors.joining(", "));
    }

    /**
     * Chooses the release from a FreeBSD kernel's {@code uname -r} ("15.0-RELEASE-p2", "14.3-STABLE"):
     * any 15.x reads as 15.0 (the 15 branch only adds netlink commands, which the operation list
     * reveals), 14.3 and later 14.x as 14.3.
     *
     * @throws AbiRelease.UnsupportedReleaseException for an older FreeBSD or one pfmeter cannot parse
     */
    public static FreeBsdRelease forKernelRelease(String unameRelease) {
        String v = unameRelease == null ? "" : unameRelease.trim();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(v);
        if (m.find()) {
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            if (major == 15) {
                return V15_0;
            }
            if (major == 14 && minor >= 3) {
                return V14_3;
            }
        }
        throw new AbiRelease.UnsupportedReleaseException("the running kernel is FreeBSD '" + unameRelease
                + "', whose pf pfmeter does not read; supported: " + supported()
                + ". If it has pf's netlink family \"pfctl\", force a release with --abi freebsd-15.0.");
    }
}
