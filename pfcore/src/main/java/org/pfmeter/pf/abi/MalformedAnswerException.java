package org.pfmeter.pf.abi;

/** The kernel (or a trace) answered with bytes that cannot be what the ABI says: a typed decode failure. */
public final class MalformedAnswerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedAnswerException(String message) {
        super(message);
    }
}
