package org.pfmeter.exporter.config;

import java.util.Optional;

/**
 * Whom {@code pfmeter run} becomes once pf is open.
 *
 * @param user  the unprivileged user to switch to (empty: keep the current identity)
 * @param group its group (empty: the user's primary group); only with a user
 */
public record PrivilegesConfig(Optional<String> user, Optional<String> group) {

    public static final PrivilegesConfig NONE = new PrivilegesConfig(Optional.empty(), Optional.empty());
}
