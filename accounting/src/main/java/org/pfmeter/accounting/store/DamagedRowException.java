package org.pfmeter.accounting.store;

/**
 * A packed row ({@code usage_5m_day}, {@code poll_journal}) whose bytes are not what was written:
 * its checksum does not match, its bytes are not a row of its format, or (a row written before
 * checksums) its slots do not add up to the row's own sums. The message names the row (table,
 * host, label, day or poll) and what is wrong; callers add what they did about it.
 *
 * <p>An {@link IllegalStateException}, as the decoders threw for malformed rows before checksums.
 */
public final class DamagedRowException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public DamagedRowException(String message) {
        super(message);
    }

    public DamagedRowException(String message, Throwable cause) {
        super(message, cause);
    }
}
