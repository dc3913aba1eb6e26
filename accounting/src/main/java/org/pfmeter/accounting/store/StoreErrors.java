package org.pfmeter.accounting.store;

import java.sql.SQLException;
import java.util.Locale;
import org.flywaydb.core.api.FlywayException;

/** Turns driver exceptions into {@link StoreException}s of the right {@link StoreException.Kind}. */
final class StoreErrors {

    private StoreErrors() {
    }

    static StoreException classify(String target, String what, Throwable t) {
        if (t instanceof StoreException se) {
            return se;
        }
        return new StoreException(kindOf(t), target, what, t);
    }

    static StoreException.Kind kindOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                StoreException.Kind k = kindOf(s);
                if (k != StoreException.Kind.OTHER) {
                    return k;
                }
            }
            String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("no space left on device") || m.contains("disk full") || m.contains("quota exceeded")) {
                return StoreException.Kind.FULL;
            }
            if (m.contains("read-only file system") || m.contains("read only file system")) {
                return StoreException.Kind.READ_ONLY;
            }
            if (c instanceof java.net.ConnectException || c instanceof java.net.UnknownHostException
                    || c instanceof java.net.SocketTimeoutException) {
                return StoreException.Kind.UNREACHABLE;
            }
        }
        if (t instanceof FlywayException) {
            return StoreException.Kind.SCHEMA;
        }
        return StoreException.Kind.OTHER;
    }

    private static StoreException.Kind kindOf(SQLException s) {
        String state = s.getSQLState() == null ? "" : s.getSQLState();
        int code = s.getErrorCode();
        // H2 reports its org.h2.api.ErrorCode both as the vendor code and as the SQLState.
        switch (code) {
            case 90020, 90135, 50200, 40001 -> { // DATABASE_ALREADY_OPEN_1, DATABASE_IS_IN_EXCLUSIVE_MODE, LOCK_TIMEOUT_1, DEADLOCK_1
                return StoreException.Kind.LOCKED;
            }
            case 90097 -> {                    // DATABASE_IS_READ_ONLY
                return StoreException.Kind.READ_ONLY;
            }
            case 28000 -> {                    // WRONG_USER_OR_PASSWORD
                return StoreException.Kind.AUTHENTICATION;
            }
            default -> {
            }
        }
        if (state.equals("53100")) {                                   // PostgreSQL disk_full
            return StoreException.Kind.FULL;
        }
        if (state.startsWith("08") || state.equals("3D000")            // connection exception, no such database
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) { // admin/crash shutdown, cannot connect now
            return StoreException.Kind.UNREACHABLE;
        }
        if (state.startsWith("28")) {                                 // invalid authorization
            return StoreException.Kind.AUTHENTICATION;
        }
        if (state.equals("55P03") || state.equals("40P01") || state.equals("40001")) { // lock not available, deadlock, serialization
            return StoreException.Kind.LOCKED;
        }
        if (state.equals("25006")) {                                   // read-only transaction (a hot standby)
            return StoreException.Kind.READ_ONLY;
        }
        return StoreException.Kind.OTHER;
    }
}
