package org.pfmeter.accounting.billing;

/**
 * A billing month that ends before the first poll in the accounting database (of the host asked
 * for): there is nothing to bill, and a page of zeros would look like a month without traffic. The
 * message names the month and the first month with data.
 */
public final class NoDataException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public NoDataException(String message) {
        super(message);
    }
}
