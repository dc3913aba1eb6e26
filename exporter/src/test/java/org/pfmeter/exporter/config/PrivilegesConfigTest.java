package org.pfmeter.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** privileges.user and privileges.group (--user, --group): checked against the system's accounts. */
class PrivilegesConfigTest {

    @TempDir
    Path tmp;

    private Config parse(String text, Map<ConfigKey, String> overrides) throws ConfigException {
        java.util.Map<ConfigKey, String> m = new java.util.EnumMap<>(ConfigKey.class);
        m.put(ConfigKey.DATA_DIR, tmp.resolve("data").toString());
        m.putAll(overrides);
        return ConfigLoader.parse("pfmeter.conf", text, m);
    }

    @Test
    void noneByDefault() throws Exception {
        assertThat(parse("", Map.of()).privileges()).isEqualTo(PrivilegesConfig.NONE);
    }

    @Test
    void anExistingUserAndGroupFromTheFileOrTheCommandLine() throws Exception {
        assertThat(parse("privileges.user = nobody\nprivileges.group = nogroup\n", Map.of()).privileges())
                .isEqualTo(new PrivilegesConfig(Optional.of("nobody"), Optional.of("nogroup")));
        assertThat(parse("privileges.user = daemon\n", Map.of(ConfigKey.PRIVILEGES_USER, "nobody")).privileges())
                .isEqualTo(new PrivilegesConfig(Optional.of("nobody"), Optional.empty()));
    }

    @Test
    void unknownNamesRootAndAGroupAloneAreRefused() {
        assertThatThrownBy(() -> parse("privileges.user = no-such-user-pfmeter\n", Map.of()))
                .hasMessageContaining("pfmeter.conf:1: privileges.user = 'no-such-user-pfmeter'")
                .hasMessageContaining("user 'no-such-user-pfmeter' does not exist")
                .hasMessageContaining("useradd");
        assertThatThrownBy(() -> parse("", Map.of(ConfigKey.PRIVILEGES_USER, "nobody", ConfigKey.PRIVILEGES_GROUP, "no-such-group-pfmeter")))
                .hasMessageContaining("--group: privileges.group = 'no-such-group-pfmeter'")
                .hasMessageContaining("group 'no-such-group-pfmeter' does not exist");
        assertThatThrownBy(() -> parse("privileges.user = root\n", Map.of()))
                .hasMessageContaining("privileges.user = 'root': pfmeter switches to this user to give up root, so it cannot be root");
        assertThatThrownBy(() -> parse("privileges.group = nogroup\n", Map.of()))
                .hasMessageContaining("privileges.group = 'nogroup': has no effect without privileges.user");
        assertThatThrownBy(() -> parse("privileges.user = a b\n", Map.of()))
                .hasMessageContaining("privileges.user = 'a b': not a user or group name")
                .hasMessageContaining("allowed: an existing unprivileged user name");
    }
}
