package org.pfmeter.accounting.store;

import java.sql.SQLException;
import java.util.Locale;

/**
 * The accounting database could not be used. The message names the database (H2 file or JDBC URL
 * without credentials), what went wrong and what to do; {@link #kind()} is a stable name for metrics
 * and exit codes.
 */
public final class StoreException extends RuntimeException {

    /** What went wrong, coarse enough to act on. */
    public enum Kind {
        /** Another process holds the H2 file, or a lock wait timed out. */
        LOCKED("another process has the database open or locked; stop it, or point pfmeter at PostgreSQL (accounting.jdbc-url) to share one database"),
        /** The server cannot be reached, refused the connection or the database does not exist. */
        UNREACHABLE("check that the database server runs and is reachable, that the database exists, and the URL"),
        /** Wrong user or password, or the user may not connect. */
        AUTHENTICATION("check accounting.jdbc-user and the password, and the server's access rules (pg_hba.conf)"),
        /** The disk or the database quota is full. */
        FULL("free disk space where the database lives, or shorten the retention (accounting.retention.*)"),
        /** The database or its directory is read-only. */
        READ_ONLY("make the data directory and the database writable by the user pfmeter runs as"),
        /** Migrations failed, or the database was written by a newer pfmeter. */
        SCHEMA("the schema in the database does not match this pfmeter; do not edit applied migrations, and do not downgrade pfmeter over a newer database"),
        /** Anything else the driver reported. */
        OTHER("see the cause");

        private final String hint;

        Kind(String hint) {
            this.hint = hint;
        }

        /** What an operator should do. */
        public String hint() {
            return hint;
        }

        /** Lowercase name for metrics labels. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Kind kind;
    private final String target;

    public StoreException(Kind kind, String target, String what, Throwable cause) {
        super(what + " (" + target + "): " + kind.hint() + (cause == null ? "" : "; cause: " + describe(cause)), cause);
        this.kind = kind;
        this.target = target;
    }

    public Kind kind() {
        return kind;
    }

    /** The H2 file or the redacted JDBC URL. */
    public String target() {
        return target;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        if (t instanceof SQLException s && s.getSQLState() != null) {
            return firstLine(m) + " [SQLState " + s.getSQLState() + ", code " + s.getErrorCode() + "]";
        }
        return firstLine(m == null ? t.toString() : m);
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
