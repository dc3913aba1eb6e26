package org.pfmeter.accounting.store;

/**
 * A read-only command found no database it may read: nothing at the path (a wrong data directory
 * or {@code --config}), a database without pfmeter's tables, or one whose schema is older than this
 * pfmeter's and would need migrating. Read-only commands never create or migrate a database; the
 * message names the database and says what to do (in practice: check the path, or start the daemon,
 * which creates and migrates it).
 */
public final class DatabaseNotReadyException extends RuntimeException {

    private final String target;

    public DatabaseNotReadyException(String target, String message) {
        super(message);
        this.target = target;
    }

    /** The H2 file or the redacted JDBC URL. */
    public String target() {
        return target;
    }
}
