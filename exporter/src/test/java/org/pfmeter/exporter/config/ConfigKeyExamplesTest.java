package org.pfmeter.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.http.Credentials;

/**
 * What a key's "allowed" text shows is what it accepts: every example it gives and both ends of
 * every range it names pass the key's own validation. (It once said "a duration from 1s to 1h:
 * 500ms, 10s, 1m, 1h", and refused 500ms.)
 */
class ConfigKeyExamplesTest {

    @TempDir
    Path tmp;

    /** Lines a key needs before it is looked at. */
    String before(ConfigKey k) throws IOException {
        if (k.key().startsWith("simulate.")) {
            return "simulate = true\n";
        }
        return switch (k) {
            case PRIVILEGES_GROUP -> "privileges.user = nobody\n";
            case ACCOUNTING_JDBC_USER -> "accounting.jdbc-url = jdbc:h2:mem:examples\n";
            case HTTP_BILLING_ALLOW_PLAIN -> "listen = 127.0.0.1:10190\nhttp.billing-credentials = "
                    + Files.writeString(tmp.resolve("users"), Credentials.line("alice", "x".toCharArray()) + "\n") + "\n";
            default -> "";
        };
    }

    /** Keys whose examples name accounts of an OpenBSD install, which this host need not have. */
    static boolean hostAccount(ConfigKey k, String why) {
        return (k == ConfigKey.PRIVILEGES_USER || k == ConfigKey.PRIVILEGES_GROUP) && why.contains("' does not exist");
    }

    private static final Pattern PARENS = Pattern.compile("\\(([^)]*)\\)");
    private static final Pattern AFTER_COLON = Pattern.compile(": (.*)$");
    private static final Pattern EG = Pattern.compile("e\\.g\\. (\\S+?)[;,]?(?:\\s|$)");
    private static final Pattern LIST = Pattern.compile("[\\w.]+((, | or )[\\w.]+)+");
    private static final Pattern RANGE = Pattern.compile("(?:^|from )(\\S+) to (\\S+?)(?:[,:;]|$)");

    /** The values an allowed text offers as examples: in parentheses, after a colon, after e.g., or a bare list. */
    static Set<String> examples(String allowed) {
        List<String> found = new ArrayList<>();
        Matcher m = PARENS.matcher(allowed);
        while (m.find()) {
            found.addAll(List.of(m.group(1).split(", ")));
        }
        m = AFTER_COLON.matcher(allowed);
        if (m.find()) {
            found.addAll(List.of(m.group(1).split(", ")));
        }
        m = EG.matcher(allowed);
        while (m.find()) {
            found.add(m.group(1));
        }
        if (LIST.matcher(allowed).matches()) {
            found.addAll(List.of(allowed.split(", | or ")));
        }
        m = RANGE.matcher(allowed);
        while (m.find()) {
            found.add(m.group(1));
            found.add(m.group(2));
        }
        Set<String> values = new LinkedHashSet<>();
        found.stream().filter(v -> !v.isBlank() && !v.contains(" ")).forEach(values::add);
        return values;
    }

    @Test
    void theExtractionFindsTheExamplesAndTheRangeEnds() {
        assertThat(examples("a duration from 1s to 1h: 1s, 10s, 1m, 1h")).containsExactly("1s", "10s", "1m", "1h");
        assertThat(examples("a duration (400d, P400D, 36h) or forever")).containsExactly("400d", "P400D", "36h");
        assertThat(examples("an integer from 0 to 1000000")).containsExactly("0", "1000000");
        assertThat(examples("1 to 28")).containsExactly("1", "28");
        assertThat(examples("error, warn, info, debug")).containsExactly("error", "warn", "info", "debug");
        assertThat(examples("a name of 1 to 255 characters")).isEmpty();
    }

    @Test
    void pollIntervalsRangeAndExamplesAgree() throws IOException {
        assertThat(ConfigKey.POLL_INTERVAL.allowed()).startsWith("a duration from 1s to 1h");
        for (String v : examples(ConfigKey.POLL_INTERVAL.allowed())) {
            assertThat(accepts(ConfigKey.POLL_INTERVAL, v)).as("poll.interval = " + v).isNull();
        }
        assertThat(accepts(ConfigKey.POLL_INTERVAL, "999ms")).contains("out of range");
        assertThat(accepts(ConfigKey.POLL_INTERVAL, "61m")).contains("out of range");
    }

    @Test
    void everyExampleAndRangeEndOfEveryKeyIsAccepted() throws IOException {
        List<String> refused = new ArrayList<>();
        int checked = 0;
        for (ConfigKey k : ConfigKey.values()) {
            for (String v : examples(k.allowed())) {
                checked++;
                String why = accepts(k, v);
                if (why != null && !hostAccount(k, why)) {
                    refused.add(k.key() + " = " + v + " (allowed: " + k.allowed() + ") was refused: " + why);
                }
            }
        }
        assertThat(checked).as("examples found").isGreaterThan(30);
        if (!refused.isEmpty()) {
            fail("a key refuses a value its own help offers; fix the allowed text in ConfigKey:\n" + String.join("\n", refused));
        }
    }

    /** Null when {@code key = value} loads, else the message. */
    String accepts(ConfigKey key, String value) throws IOException {
        Map<ConfigKey, String> overrides = key == ConfigKey.DATA_DIR ? Map.of() : Map.of(ConfigKey.DATA_DIR, tmp.resolve("data").toString());
        try {
            ConfigLoader.parse("pfmeter.conf", before(key) + key.key() + " = " + value + "\n", overrides);
            return null;
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }
}
