package org.pfmeter.pf.trace;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A trace's first line, read alone: whose pf the trace recorded, so the right replayer opens it. */
public record TraceHeader(String abi) {

    /** Reads the header of {@code file} (".gz" through gzip); a missing or broken one is a {@link TraceException}. */
    public static TraceHeader read(Path file) throws IOException {
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new TraceException("cannot read the trace " + file + ": no such readable file");
        }
        TraceInput input = file.getFileName().toString().endsWith(".gz") ? TraceInput.gzip(file) : TraceInput.file(file);
        try (TraceLines lines = new TraceLines(file.toString(), input.openAt(0), 0, 0)) {
            TraceLines.Line first = lines.next();
            if (first == null) {
                throw new TraceException(file + " is empty: not a pfmeter trace");
            }
            JsonNode h = TraceEntries.parse(file.toString(), first);
            return new TraceHeader(h.path("abi").asText(""));
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new TraceException(file + " is not a complete gzip file (" + e.getMessage() + "): a truncated trace? record it again");
        }
    }

    /** A trace of FreeBSD's pf (netlink exchanges): its {@code abi} is "freebsd-…". */
    public boolean isFreeBsd() {
        return abi.startsWith("freebsd-");
    }
}
