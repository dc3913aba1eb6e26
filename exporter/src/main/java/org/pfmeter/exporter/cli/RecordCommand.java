package org.pfmeter.exporter.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.pfmeter.exporter.config.Config;
import org.pfmeter.exporter.config.ConfigException;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;
import org.pfmeter.exporter.config.Durations;
import org.pfmeter.exporter.poll.PfSession;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.abi.PfDevices.NoPfException;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.states.StateBreakdownReader;
import org.pfmeter.pf.trace.RecordingNetlinkSocket;
import org.pfmeter.pf.trace.RecordingPfDevice;
import org.pfmeter.pf.trace.Redactor;
import org.pfmeter.pf.trace.TraceLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pfmeter record}: writes an ioctl trace (FreeBSD: netlink exchanges and /dev/pf ioctls) of a few polls for bug reports
 * (see pfcore/README.md, "Record and replay" and "FreeBSD traces").
 */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = "Polls pf a few times, reading the state table after each poll, and writes every ioctl exchange (FreeBSD: every netlink request with its datagrams, and every /dev/pf ioctl) to a trace (JSON lines; .gz compresses).")
final class RecordCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Trace file to write (.jsonl or .jsonl.gz).")
    Path out;

    @Option(names = "--polls", paramLabel = "N", defaultValue = "1", description = "Polls to record (default 1).")
    int polls;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "10s", description = "Time between polls (default 10s).")
    String interval;

    @Option(names = "--redact", description = "Zero rule addresses and replace label, table and queue names by placeholders.")
    boolean redact;

    @Option(names = "--progress", negatable = true,
            description = "Show which poll is being recorded on stderr (default: only when run at a terminal).")
    Boolean progress;

    @Mixin
    PfSourceOptions source = new PfSourceOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Map<ConfigKey, String> overrides = new EnumMap<>(ConfigKey.class);
        source.addTo(overrides);
        Config cfg;
        Duration every;
        try {
            cfg = ConfigLoader.loadForReading(Optional.empty(), overrides);
            every = Durations.parse(interval);
        } catch (ConfigException | IllegalArgumentException e) {
            err.println(e.getMessage());
            return ExitCodes.USAGE;
        }
        if (polls < 1 || polls > TraceLimits.MAX_POLLS) {
            err.println("--polls must be 1.." + TraceLimits.MAX_POLLS + " (the most polls a trace may hold)");
            return ExitCodes.USAGE;
        }
        Clock clock = Clock.systemUTC();
        PfSession base;
        try {
            base = PfSession.open(cfg.source(), clock, PfSession.SimTime.STEPPED);
        } catch (NoPfException e) {
            err.println("pfmeter: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (AbiRelease.UnsupportedReleaseException e) {
            err.println("pfmeter: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        OutputStream os;
        try {
            os = Files.newOutputStream(out);
            if (out.getFileName().toString().endsWith(".gz")) {
                os = new GZIPOutputStream(os);
            }
        } catch (IOException e) {
            base.close();
            err.println("pfmeter: cannot write " + out + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
        Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
        Clock pollClock = base.clock();
        String machine = System.getProperty("os.arch", "amd64").replace("x86_64", "amd64");
        Redactor redactor = redact ? new Redactor() : null;
        int failed;
        if (base.release() instanceof FreeBsdRelease release) {
            // FreeBSD: the netlink exchanges and, between them, the ioctls on /dev/pf when it is open (the
            // socket's kernel release is the host's, else the simulated one's)
            RecordingNetlinkSocket rec = new RecordingNetlinkSocket(base.netlink().orElseThrow(), base.device(), release,
                    base.kernel() ? System.getProperty("os.version", release.version()) : release.version(), w, machine,
                    pollClock.instant(), base.bootTime().get(), redactor);
            // closing the recording session closes the trace, the socket and /dev/pf under it
            try (PfSession session = PfSession.freeBsd(release, rec, rec.device(), pollClock, base.bootTime(),
                    org.pfmeter.pf.SourceNodeOptions.DEFAULT, Optional.empty(), base.kernel())) {
                failed = record(base, session, rec::markPoll, rec::refused, pollClock, every, null, cfg, err);
            }
        } else {
            AbiRelease release = base.openBsdRelease().orElseThrow();
            RecordingPfDevice rec = new RecordingPfDevice(base.device().orElseThrow(), release, w, machine, pollClock.instant(),
                    redactor);
            // One state-table read after each poll, as the daemon reads it after a poll when its states
            // interval is due: whichever polls a replaying daemon picks for its breakdown, each has a table.
            StateBreakdownReader states = cfg.states().enabled() ? new StateBreakdownReader(rec, release, pollClock) : null;
            // closing the recording session closes the trace and the device under it
            try (PfSession session = new PfSession(rec, release, pollClock, base.bootTime(), base.addressTables())) {
                failed = record(base, session, rec::markPoll, rec::refused, pollClock, every, states, cfg, err);
            }
        }
        if (failed < 0) {
            return ExitCodes.FAILED;
        }
        spec.commandLine().getOut().println("recorded " + polls + " poll(s) of " + base.describe() + " to " + out
                + (failed > 0 ? " (" + failed + " subsystem read(s) failed; the trace has their errnos)" : ""));
        return ExitCodes.OK;
    }

    /**
     * The polls: each marked in the trace, then read (and the state table after it, when
     * {@code states} is given). Returns how many subsystem reads failed, or -1 when the trace refused
     * a poll (said on {@code err}).
     */
    private int record(PfSession base, PfSession session, java.util.function.Consumer<java.time.Instant> markPoll,
                       java.util.function.Supplier<Optional<org.pfmeter.pf.trace.TraceException>> refused, Clock pollClock,
                       Duration every, StateBreakdownReader states, Config cfg, PrintWriter err) throws InterruptedException {
        int failed = 0;
        Progress bar = Progress.to(err, progress, Progress.interactive());
        // a larger table is read for its size only: one buffer of a trace holds at most this many states
        long maxStates = base.openBsdRelease().map(r -> Math.min(cfg.states().maxStates(), TraceLimits.maxStates(r)))
                .orElse(0L);
        try {
            for (int i = 0; i < polls; i++) {
                if (i > 0) {
                    if (base.simulated()) {
                        base.advanceSimulation(every);
                    } else {
                        bar.status(Progress.recordLine(i, polls, Durations.format(every)));
                        Thread.sleep(every.toMillis());
                    }
                }
                bar.status(Progress.recordLine(i + 1, polls, null));
                markPoll.accept(pollClock.instant());
                PfSnapshot s = session.poll();
                failed += s.errors().size();
                if (states != null && states.read(s.rules().value().orElse(null), maxStates,
                        cfg.states().top()) instanceof StateBreakdownReader.Failed) {
                    failed++;
                }
                if (refused.get().isPresent()) {
                    err.println("pfmeter: " + out + ": " + refused.get().get().getMessage()
                            + "; the trace stops in poll " + (i + 1));
                    return -1;
                }
            }
        } finally {
            bar.clear();
        }
        return failed;
    }
}
