package org.pfmeter.pf.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfIoctl;

/**
 * Parses and checks the lines of a trace after its header, one entry at a time: a poll marker, an
 * ioctl exchange (with the continuation lines of a buffer split by the recorder put back together) or
 * a sysctl. Everything wrong is refused with the file and line and what to do.
 */
final class TraceEntries {

    /**
     * Jackson's default refuses strings longer than 20,000,000 characters; a line is bounded by
     * {@link TraceLimits#MAX_LINE_BYTES} already, so a string may be as long as a line.
     */
    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(TraceLimits.MAX_LINE_BYTES).build())
            .build());

    sealed interface Entry permits PollMarker, Exchange, SysctlExchange {
        int line();

        long offset();
    }

    record PollMarker(int line, long offset, Instant at) implements Entry {
    }

    /** One recorded ioctl; {@code key} is what a call must equal to be answered by it. */
    record Exchange(int line, long offset, PfIoctl io, JsonNode select, String key, int errno, byte[] arg,
            Map<String, byte[]> pointees) implements Entry {
        long bytes() {
            return arg.length + pointees.values().stream().mapToLong(b -> b.length).sum() + key.length() + 64;
        }
    }

    /** One recorded sysctl: its MIB and the buffer length asked select it. */
    record SysctlExchange(int line, long offset, String mib, long oldlenIn, int errno, long oldlen, byte[] old)
            implements Entry {
        String key() {
            return key(mib, oldlenIn);
        }

        static String key(String mib, long oldlenIn) {
            return "sysctl " + mib + " " + oldlenIn;
        }
    }

    private final String source;
    private final AbiRelease release;
    private final PfAbi abi;

    TraceEntries(String source, AbiRelease release) {
        this.source = source;
        this.release = release;
        this.abi = release.abi();
    }

    static String key(PfIoctl io, JsonNode select) {
        return io.name() + " " + select;
    }

    /** Parses one line as JSON, or says which line is broken. */
    static JsonNode parse(String source, TraceLines.Line l) {
        try {
            JsonNode n = JSON.readTree(l.bytes(), 0, l.length());
            if (n == null || !n.isObject()) {
                throw new TraceException(where(source, l.number()) + " is not a JSON object: not a trace line");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new TraceException(where(source, l.number()) + " is not complete JSON (a truncated trace?): "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new TraceException(where(source, l.number()) + " cannot be read: " + e.getMessage());
        }
    }

    static String where(String source, int line) {
        return source + ":" + line;
    }

    /**
     * The next entry, or null at the end. With {@code only} set, lines that contain neither it (as bytes)
     * nor {@code "poll"} are skipped unparsed: a cheap filter for a scan of one poll that wants one
     * request (poll markers still end the poll).
     */
    Entry next(TraceLines lines, byte[] only) throws IOException {
        TraceLines.Line l;
        while ((l = lines.next()) != null) {
            if (l.blank() || (only != null && !contains(l, only) && !contains(l, POLL))) {
                continue;
            }
            JsonNode n = parse(source, l);
            if (n.has("poll")) {
                try {
                    return new PollMarker(l.number(), l.offset(), Instant.parse(n.path("at").asText()));
                } catch (DateTimeParseException e) {
                    throw new TraceException(where(source, l.number()) + ": poll marker without a valid \"at\" time (ISO-8601 UTC,"
                            + " such as 2026-11-22T10:00:00Z): " + n.path("at"));
                }
            }
            if (n.has("continues")) {
                if (only != null) {
                    continue;
                }
                throw new TraceException(where(source, l.number()) + ": a continuation of exchange " + n.path("continues")
                        + " that does not follow its exchange: lines of the trace were lost or reordered; record it again");
            }
            if (n.has("sysctl")) {
                return sysctl(l, n);
            }
            return exchange(lines, l, n);
        }
        return null;
    }

    private static final byte[] POLL = "\"poll\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static boolean contains(TraceLines.Line l, byte[] needle) {
        byte[] b = l.bytes();
        outer:
        for (int i = 0; i + needle.length <= l.length(); i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private Exchange exchange(TraceLines lines, TraceLines.Line l, JsonNode n) throws IOException {
        int lineNo = l.number();
        long offset = l.offset();
        String name = n.path("request").asText("");
        PfIoctl io;
        try {
            io = PfIoctl.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new TraceException(where(source, lineNo) + ": unknown request '" + name + "'");
        }
        long number = n.path("number").asLong();
        if (number != abi.request(io)) {
            throw new TraceException(where(source, lineNo) + ": " + name + " has number " + number
                    + " but the " + release.version() + " ABI named in the header uses " + abi.request(io)
                    + ": the trace does not match its header's release");
        }
        byte[] arg = bytes(lineNo, "arg", n.path("arg"));
        int argSize = io.argument().equals("u_int32_t") ? 4 : abi.struct(io.argument()).size();
        if (arg.length != argSize) {
            throw new TraceException(where(source, lineNo) + ": " + name + " argument has " + arg.length
                    + " bytes, struct " + io.argument() + " has " + argSize + " in " + release.version());
        }
        int errno = errno(lineNo, name, n);
        Map<String, byte[]> pointees = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : n.path("pointees").properties()) {
            pointees.put(e.getKey(), bytes(lineNo, "pointees." + e.getKey(), e.getValue()));
        }
        JsonNode continued = n.path("continued");
        if (!continued.isMissingNode()) {
            long seq = n.path("seq").asLong(-1);
            for (Map.Entry<String, JsonNode> e : continued.properties()) {
                pointees.put(e.getKey(), continuation(lines, lineNo, seq, e.getKey(), e.getValue(), pointees.get(e.getKey())));
            }
        }
        JsonNode select = n.path("select");
        return new Exchange(lineNo, offset, io, select, key(io, select), errno, arg, pointees);
    }

    /** A buffer the recorder split: its first chunk is in the exchange, the rest on the lines after it. */
    private byte[] continuation(TraceLines lines, int lineNo, long seq, String field, JsonNode total, byte[] first)
            throws IOException {
        if (!total.canConvertToLong() || !total.isIntegralNumber() || total.asLong() < 0
                || total.asLong() > TraceLimits.MAX_POINTEE_BYTES) {
            throw new TraceException(where(source, lineNo) + ": \"continued\"." + field + " is " + total
                    + ", not a size of 0.." + TraceLimits.MAX_POINTEE_BYTES + " bytes (" + TraceLimits.size(TraceLimits.MAX_POINTEE_BYTES)
                    + ", the largest buffer a trace may hold)");
        }
        if (first == null) {
            throw new TraceException(where(source, lineNo) + ": \"continued\" names " + field + ", which is not among the pointees");
        }
        int size = (int) total.asLong();
        if (first.length > size) {
            throw new TraceException(where(source, lineNo) + ": " + field + " holds " + first.length
                    + " bytes, more than the " + size + " its \"continued\" announces");
        }
        byte[] all = java.util.Arrays.copyOf(first, size);
        int have = first.length;
        while (have < size) {
            TraceLines.Line c = lines.next();
            if (c == null) {
                throw new TraceException(where(source, lineNo) + ": " + field + " announces " + size + " bytes but the trace ends after "
                        + have + " (a truncated trace?)");
            }
            JsonNode cn = parse(source, c);
            if (cn.path("continues").asLong(-2) != seq || !cn.path("pointee").asText("").equals(field)) {
                throw new TraceException(where(source, c.number()) + ": expected the continuation of " + field + " of exchange " + seq
                        + " (line " + lineNo + ", " + have + " of " + size + " bytes read): lines of the trace were lost or reordered");
            }
            byte[] chunk = bytes(c.number(), "hex", cn.path("hex"));
            if (chunk.length == 0 || have + (long) chunk.length > size) {
                throw new TraceException(where(source, c.number()) + ": the continuation of " + field + " holds " + chunk.length
                        + " bytes; " + (size - have) + " were still due");
            }
            System.arraycopy(chunk, 0, all, have, chunk.length);
            have += chunk.length;
        }
        return all;
    }

    private SysctlExchange sysctl(TraceLines.Line l, JsonNode n) {
        int lineNo = l.number();
        if (!n.path("mib").isArray() || n.path("mib").isEmpty()) {
            throw new TraceException(where(source, lineNo) + ": sysctl " + n.path("sysctl").asText() + " without a \"mib\"");
        }
        int errno = errno(lineNo, "sysctl " + n.path("sysctl").asText(), n);
        byte[] old = bytes(lineNo, "old", n.path("old"));
        long oldlen = n.path("oldlen").asLong(-1);
        if (errno == 0 && oldlen != old.length) {
            throw new TraceException(where(source, lineNo) + ": sysctl " + n.path("sysctl").asText() + " reports oldlen "
                    + oldlen + " but holds " + old.length + " bytes");
        }
        return new SysctlExchange(lineNo, l.offset(), n.path("mib").toString(), n.path("select").path("oldlen").asLong(-1),
                errno, oldlen, old);
    }

    /**
     * 0, or an OpenBSD errno (1..ELAST = 95); {@code rc}, when present, agrees. Anything else would be
     * replayed as some answer the kernel never gives: a missing or non-numeric errno is not success.
     */
    private int errno(int lineNo, String what, JsonNode n) {
        JsonNode e = n.get("errno");
        if (e == null || !e.isIntegralNumber() || !e.canConvertToInt() || e.asInt() < 0 || e.asInt() > Errno.ELAST) {
            throw new TraceException(where(source, lineNo) + ": " + what + " has errno " + (e == null ? "(none)" : e.toString())
                    + ", not 0 or an OpenBSD errno (1.." + Errno.ELAST + "): a damaged trace; record it again");
        }
        JsonNode rc = n.get("rc");
        if (rc != null && (!rc.isIntegralNumber() || rc.asLong() != (e.asInt() == 0 ? 0 : -1))) {
            throw new TraceException(where(source, lineNo) + ": " + what + " has rc " + rc + " with errno " + e
                    + " (rc is 0 with errno 0, -1 with an errno): a damaged trace; record it again");
        }
        return e.asInt();
    }

    private byte[] bytes(int lineNo, String field, JsonNode hex) {
        if (hex == null || hex.isMissingNode() || hex.isNull()) {
            throw new TraceException(where(source, lineNo) + ": no \"" + field + "\" bytes");
        }
        if (!hex.isTextual()) {
            throw new TraceException(where(source, lineNo) + ": \"" + field + "\" is not a string of hex digits");
        }
        try {
            return HexFormat.of().parseHex(hex.asText());
        } catch (IllegalArgumentException e) {
            throw new TraceException(where(source, lineNo) + ": \"" + field + "\" is not hex: " + e.getMessage());
        }
    }
}
