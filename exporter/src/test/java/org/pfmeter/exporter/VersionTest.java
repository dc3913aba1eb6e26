package org.pfmeter.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@code pfmeter --version}: the version, the commit it was built from and the day. */
class VersionTest {

    static Properties build(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void aBuildFromAGitCheckoutNamesItsCommitAndDay() {
        assertThat(Version.describe(build("version", "0.1.0", "commit", "d1da202", "built", "2026-12-03T07:32:33Z")))
                .isEqualTo("pfmeter 0.1.0 (commit d1da202, built 2026-12-03)");
    }

    @Test
    void aBuildWithoutGitSaysCommitUnknown() {
        // Maven leaves a property it does not know as its placeholder
        assertThat(Version.describe(build("version", "0.1.0", "commit", "${git.commit.id.abbrev}", "built", "2026-12-03T07:32:33Z")))
                .isEqualTo("pfmeter 0.1.0 (commit unknown, built 2026-12-03)");
        assertThat(Version.describe(new Properties())).isEqualTo("pfmeter unknown (commit unknown)");
    }

    @Test
    void thisBuildsPropertiesWereFilledIn() {
        assertThat(Version.get()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(Version.describe()).matches("pfmeter \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{7,}|unknown), built \\d{4}-\\d\\d-\\d\\d\\)");
    }
}
