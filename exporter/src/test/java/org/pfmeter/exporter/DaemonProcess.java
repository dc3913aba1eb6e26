package org.pfmeter.exporter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers for tests that run {@code pfmeter run} as a child process. */
public final class DaemonProcess {

    private DaemonProcess() {
    }

    /**
     * Waits until the daemon's log says {@code serving ORIGIN:PORT/metrics} and returns the port
     * (the daemon listens on port 0 in tests); fails with the log when the process exits or the time
     * runs out first.
     *
     * @param origin scheme and host as the daemon logs them, e.g. {@code http://127.0.0.1}
     */
    public static int awaitServingPort(Process daemon, Path log, String origin, Duration within)
            throws IOException, InterruptedException {
        Pattern serving = Pattern.compile("serving " + Pattern.quote(origin) + ":(\\d+)/metrics");
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = serving.matcher(Files.readString(log));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!daemon.isAlive()) {
                throw new AssertionError("pfmeter exited with " + daemon.exitValue() + ":\n" + Files.readString(log));
            }
            daemon.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("pfmeter did not start serving " + origin + " within " + within.toSeconds() + " s:\n"
                + Files.readString(log));
    }
}
