package org.pfmeter.exporter;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** pfmeter's version and the commit it was built from, as the build wrote them into build.properties. */
public final class Version {

    private static final Properties BUILD = load();
    private static final String VERSION = value(BUILD, "version").orElse("unknown");

    private Version() {
    }

    /** The release version, e.g. {@code 0.1.0}. */
    public static String get() {
        return VERSION;
    }

    /** What {@code pfmeter --version} prints, e.g. {@code pfmeter 0.1.0 (commit d1da202, built 2026-12-03)}. */
    public static String describe() {
        return describe(BUILD);
    }

    static String describe(Properties build) {
        String commit = value(build, "commit")
                .map(c -> "commit " + c)
                .orElse("commit unknown");
        return "pfmeter " + value(build, "version").orElse("unknown") + " (" + commit
                + value(build, "built").map(b -> ", built " + date(b)).orElse("") + ")";
    }

    /** The day of Maven's build timestamp (ISO 8601, UTC). */
    private static String date(String timestamp) {
        return timestamp.length() > 10 && timestamp.charAt(10) == 'T' ? timestamp.substring(0, 10) : timestamp;
    }

    /** A property the build filled in; a placeholder left as {@code ${...}} (no .git at build time) is absent. */
    private static java.util.Optional<String> value(Properties p, String key) {
        String v = p.getProperty(key, "").strip();
        return v.isEmpty() || v.startsWith("${") ? java.util.Optional.empty() : java.util.Optional.of(v);
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // stays empty: every part reads as unknown
        }
        return p;
    }
}
