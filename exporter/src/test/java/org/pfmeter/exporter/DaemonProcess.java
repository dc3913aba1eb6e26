package org.pfmeter.exporter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    /** {@code pfmeter_ledger_written_polls_total} as the daemon at {@code base} serves it (0 before the first). */
    public static double writtenPolls(HttpClient http, String base) throws IOException, InterruptedException {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^pfmeter_ledger_written_polls_total (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /**
     * Waits, as long as the daemon lives and at most a minute, until its ledger has written more than
     * {@code than} polls, and returns how many it has.
     */
    public static double awaitWrittenPolls(Process daemon, HttpClient http, String base, double than) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline && daemon.isAlive()) {
            double w = writtenPolls(http, base);
            if (w > than) {
                return w;
            }
            daemon.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("the daemon wrote no poll after " + than);
    }
}
