package org.pfmeter.pf.trace;

import org.pfmeter.pf.abi.PfDeviceException;

/** A trace that cannot be read, or cannot answer a call: names the file, the line or the call. */
public final class TraceException extends PfDeviceException {

    private static final long serialVersionUID = 1L;

    public TraceException(String message) {
        super(message);
    }
}
