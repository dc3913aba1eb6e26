package org.pfmeter.exporter.cli;

import org.flywaydb.core.api.logging.LogFactory;
import org.flywaydb.core.api.logging.LogLevel;

/**
 * Sets up slf4j-simple before the first logger exists (it reads these properties once, when the
 * first logger is made; a {@code -D} given to the JVM wins over every default here).
 *
 * <ul>
 * <li>{@code pfmeter run}, the daemon: one line per event on stderr with an ISO time, the level and
 * the short logger name, at {@code log.level}; Flyway says which migrations it applied (info), Jetty
 * only warns.</li>
 * <li>Every other command prints its output, not a log: pfmeter's own loggers at warn (what a user
 * can act on), the frameworks' (Flyway, Jetty, H2, HikariCP) at error, so a monthly cron job mails
 * the report and nothing else. A failure still reaches the user as the command's own message.</li>
 * </ul>
 */
final class Logging {

    /** The libraries whose chatter a command line user never needs. */
    static final String[] FRAMEWORKS = {"org.flywaydb", "org.eclipse.jetty", "org.h2", "h2database", "com.zaxxer.hikari"};

    private Logging() {
    }

    /** The daemon's log, at {@code level} (error, warn, info or debug). */
    static void forDaemon(String level) {
        common();
        set("org.slf4j.simpleLogger.defaultLogLevel", level);
        set("org.slf4j.simpleLogger.showDateTime", "true");
        set("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        set("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        if ("debug".equals(level)) {
            // Flyway 11 and later drop their debug lines before slf4j sees them unless their own
            // level says debug (LogFactory's default is info), so log.level = debug must say it too.
            LogFactory.setLogLevel(LogLevel.DEBUG);
        }
    }

    /** Every command but {@code run}: warnings of pfmeter's own, nothing from the frameworks. */
    static void forCommand() {
        common();
        set("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        set("org.slf4j.simpleLogger.showDateTime", "false");
        for (String f : FRAMEWORKS) {
            set("org.slf4j.simpleLogger.log." + f, "error");
        }
    }

    private static void common() {
        set("org.slf4j.simpleLogger.logFile", "System.err");
        set("org.slf4j.simpleLogger.showThreadName", "false");
        set("org.slf4j.simpleLogger.showLogName", "false");
        set("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void set(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
