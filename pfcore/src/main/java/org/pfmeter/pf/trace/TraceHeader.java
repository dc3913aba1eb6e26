package org.pfmeter.pf.trace;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** A trace's first line, read alone: whose pf the trace recorded, so the right replayer opens it. */
public record TraceHeader(String abi) {

    /** Reads the header of {@code file} (".gz" through gzip); a missing or broken one is a {@link TraceException}. */
    public static TraceHeader read(Path file) throws IOException {
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new TraceException("cannot read the trace " + file + ": no such readable file");
        }
        TraceInput input = file.getFileName().toString().endsWith(".gz") ? TraceInput.gzip(file) : TraceInput.file(file);
        try (TraceLines lines = new TraceLines(file.toString(), input.openAt(0), 0, 0)) {
            return new TraceHeader(first(file.toString(), lines).path("abi").asText(""));
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new TraceException(file + " is not a complete gzip file (" + e.getMessage() + "): a truncated trace? record it again");
        }
    }

    /** A trace of FreeBSD's pf (netlink exchanges): its {@code abi} is "freebsd-…". */
    public boolean isFreeBsd() {
        return abi.startsWith("freebsd-");
    }

    /** The first line of {@code lines}, parsed: a trace's header. An empty trace is refused. */
    static JsonNode first(String source, TraceLines lines) throws IOException {
        TraceLines.Line first = lines.next();
        if (first == null) {
            throw new TraceException(source + " is empty: not a pfmeter trace");
        }
        return TraceEntries.parse(source, first);
    }

    /** Checks that {@code header} is the header of a trace of the format version this pfmeter reads. */
    static void checkVersion(String source, JsonNode header) {
        if (!header.has("pfmeter_trace")) {
            throw new TraceException(TraceEntries.where(source, 1) + " is not a trace header (no \"pfmeter_trace\")");
        }
        if (!header.get("pfmeter_trace").isIntegralNumber() || header.get("pfmeter_trace").asInt() != TraceFormat.VERSION) {
            throw new TraceException(source + " is trace format version " + header.get("pfmeter_trace")
                    + "; this pfmeter reads version " + TraceFormat.VERSION);
        }
    }

    /**
     * Checks the header's times, which replay reads later ({@code taken_at}, and {@code boot_time} unless
     * empty), with the line; returns {@code taken_at}, the time of a poll recorded without a marker
     * (the epoch when the header has none).
     */
    static Instant checkTimes(String source, JsonNode header) {
        for (String time : List.of("taken_at", "boot_time")) {
            JsonNode t = header.get(time);
            if (t == null || (time.equals("boot_time") && t.asText("").isEmpty())) {
                continue;
            }
            try {
                Instant.parse(t.asText(""));
            } catch (DateTimeParseException e) {
                throw new TraceException(TraceEntries.where(source, 1) + ": \"" + time + "\" is " + t + ", not an ISO-8601 UTC"
                        + " time such as 2026-11-22T10:00:00Z: a damaged header; correct it or record the trace again");
            }
        }
        return header.has("taken_at") ? Instant.parse(header.get("taken_at").asText()) : Instant.EPOCH;
    }

    /** The traced host's boot time, when the (checked) header has it. */
    static Optional<Instant> bootTime(JsonNode header) {
        String b = header.path("boot_time").asText("");
        return b.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(b));
    }
}
