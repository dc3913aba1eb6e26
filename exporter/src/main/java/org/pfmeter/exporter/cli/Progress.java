package org.pfmeter.exporter.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.pfmeter.pf.os.FileDescriptors;
import org.pfmeter.pf.os.NativeLayerException;

/**
 * One self-overwriting status line on stderr for the long commands ({@code simulate}, {@code record}),
 * drawn only for a person at a terminal: redirected to a file, a pipe or cron's mail, stderr gets
 * nothing from here. Events (a crash, a restart) are printed above the status line and stay.
 */
final class Progress {

    private final PrintWriter err;
    private final boolean on;
    private String shown = "";

    private Progress(PrintWriter err, boolean on) {
        this.err = err;
        this.on = on;
    }

    /**
     * @param option   {@code --progress} (true), {@code --no-progress} (false) or neither (null)
     * @param terminal whether stderr looks like a terminal ({@link #interactive()} in production)
     */
    static Progress to(PrintWriter err, Boolean option, boolean terminal) {
        return new Progress(err, enabled(option, terminal));
    }

    /** The option wins; without it, only a terminal gets progress. */
    static boolean enabled(Boolean option, boolean terminal) {
        return option != null ? option : terminal;
    }

    /** stderr's descriptor, where the status line goes. */
    static final int STDERR = 2;

    /**
     * True when stderr is a terminal (isatty(3)), also when stdout goes to a file: a cron job, a
     * pipe or a redirect of stderr is none. Without the native layer, falls back to whether the JVM
     * has a console (stdin and stdout are a terminal).
     */
    static boolean interactive() {
        try {
            return FileDescriptors.isTerminal(STDERR);
        } catch (NativeLayerException e) {
            return System.console() != null;
        }
    }

    boolean on() {
        return on;
    }

    /** Replaces the status line (nothing when off or unchanged). */
    void status(String line) {
        if (!on || line.equals(shown)) {
            return;
        }
        err.print("\r" + line + " ".repeat(Math.max(0, shown.length() - line.length())));
        err.flush();
        shown = line;
    }

    /** Prints {@code line} above the status line, which is drawn again below it. */
    void event(String line) {
        if (!on) {
            return;
        }
        String status = shown;
        clear();
        err.println(line);
        status(status);
    }

    /** Erases the status line, so the command's own output starts on a clean line. */
    void clear() {
        if (!on || shown.isEmpty()) {
            return;
        }
        err.print("\r" + " ".repeat(shown.length()) + "\r");
        err.flush();
        shown = "";
    }

    /**
     * simulate's line, e.g. {@code simulate: day 3 of 30 (10%), 2026-10-03}. It changes once per
     * simulated percent or day, so a month of one-minute polls redraws a few hundred times, not 43,200.
     */
    static String simulateLine(Instant start, int days, Instant at) {
        long elapsed = Math.max(0, Duration.between(start, at).toSeconds());
        long total = Math.max(1, Duration.ofDays(days).toSeconds());
        int percent = (int) Math.min(100, elapsed * 100 / total);
        long day = Math.min(days, elapsed / 86_400 + 1);
        return String.format(Locale.ROOT, "simulate: day %d of %d (%d%%), %s", day, days, percent,
                at.toString().substring(0, 10));
    }

    /** record's line, e.g. {@code record: poll 2 of 5} or {@code record: poll 2 of 5 done, next in 10s}. */
    static String recordLine(int done, int polls, String nextIn) {
        return "record: poll " + done + " of " + polls + (nextIn == null ? "" : " done, next in " + nextIn);
    }
}
