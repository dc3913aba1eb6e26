package org.pfmeter.pf.abi;

/**
 * A device that cannot perform a call at all (not an errno from pf): a trace that has no answer for
 * it, a closed recorder. The reader reports it as the subsystem's error, with this message.
 */
public class PfDeviceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PfDeviceException(String message) {
        super(message);
    }
}
