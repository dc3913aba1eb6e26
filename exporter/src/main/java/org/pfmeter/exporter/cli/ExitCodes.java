package org.pfmeter.exporter.cli;

/** What {@code pfmeter} exits with. */
final class ExitCodes {
    /** Everything worked. */
    static final int OK = 0;
    /** pf could not be read (no device, a subsystem failed in show) or the daemon could not start. */
    static final int FAILED = 1;
    /** Bad usage or configuration, or an unsupported OpenBSD release. */
    static final int USAGE = 2;

    private ExitCodes() {
    }
}
