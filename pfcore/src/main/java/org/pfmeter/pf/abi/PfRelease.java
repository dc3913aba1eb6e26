package org.pfmeter.pf.abi;

import java.util.ArrayList;
import java.util.List;

/**
 * A pf release pfmeter reads: an OpenBSD ABI ({@link AbiRelease}, ioctls on /dev/pf) or a FreeBSD
 * release ({@link FreeBsdRelease}, generic netlink plus a few ioctls). What {@code --abi} forces and
 * {@code --sim-release} simulates.
 */
public sealed interface PfRelease permits AbiRelease, FreeBsdRelease {

    /** As {@code --abi} and {@code --sim-release} take it and {@code pfmeter_build_info} shows it: "8.0", "freebsd-15.0". */
    String id();

    /** For logs and the status page: "OpenBSD 8.0 pf ABI", "FreeBSD 15.0 pf (netlink)". */
    String describe();

    /** Every release as a user would type it: "7.8, 7.9, 8.0, freebsd-14.3, freebsd-15.0". */
    static String supported() {
        return String.join(", ", ids());
    }

    private static List<String> ids() {
        List<String> all = new ArrayList<>();
        for (AbiRelease r : AbiRelease.values()) {
            all.add(r.id());
        }
        for (FreeBsdRelease r : FreeBsdRelease.values()) {
            all.add(r.id());
        }
        return all;
    }

    /**
     * Parses what {@code --abi} or {@code --sim-release} was given: "7.8", "8.0", "freebsd-15.0".
     *
     * @throws AbiRelease.UnsupportedReleaseException naming the value and every choice
     */
    static PfRelease parse(String value) {
        String v = value == null ? "" : value.trim();
        for (AbiRelease r : AbiRelease.values()) {
            if (r.id().equals(v)) {
                return r;
            }
        }
        for (FreeBsdRelease r : FreeBsdRelease.values()) {
            if (r.id().equals(v)) {
                return r;
            }
        }
        throw new AbiRelease.UnsupportedReleaseException("release '" + v + "' is not supported; choose one of " + supported());
    }
}
