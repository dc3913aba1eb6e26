package org.pfmeter.pf.trace;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfDeviceException;
import org.pfmeter.pf.abi.freebsd.FreeBsdIoctl;
import org.pfmeter.pf.abi.netlink.NetlinkMessage;
import org.pfmeter.pf.abi.netlink.NetlinkSocket;

/**
 * Answers netlink requests from a trace of FreeBSD's pf ({@link NetlinkTraceFormat}), as
 * {@link ReplayPfDevice} answers ioctls: each request gets the next unused recorded exchange of the
 * current poll with the same request bytes (but for its sequence number); the datagrams come back with
 * the caller's sequence number. A request the trace cannot answer fails with a {@link TraceException}
 * naming it; nothing is invented. Each PFNL_CMD_GET_STATUS after the first moves to the next poll; after
 * the last poll the last is served again. The family (CTRL_CMD_GETFAMILY) is answered from the first
 * poll when the current one did not ask for it (the reader resolves it once).
 *
 * <p>A trace recorded with /dev/pf (its header has {@code "dev_pf"}, and ioctl lines between the
 * netlink lines: {@link FreeBsdIoctlFormat}) also answers those ioctls through {@link #device()}, from
 * the current poll, by request and selecting inputs, with the recorded errno; a trace without them has no
 * device (interfaces and ALTQ then read as not present).
 *
 * <p>Streamed as ioctl traces are: opening checks every line against {@link TraceLimits} and the format
 * (file:line errors) and keeps where each poll starts; serving reads the poll forward, keeping at most
 * {@link TraceLimits#LOOKAHEAD_BYTES} of exchanges skipped over, and finds the rest with a second reader.
 */
public final class ReplayNetlinkSocket implements NetlinkSocket {

    private static final HexFormat HEX = HexFormat.of();

    private record Marker(int line, long offset, Instant at) {
    }

    /** A recorded exchange: a netlink request with its datagrams, or a /dev/pf ioctl. */
    private sealed interface Recorded permits Exchange, IoctlExchange {
        int line();

        String key();

        long bytes();
    }

    /** One recorded request and what the kernel sent back. */
    private record Exchange(int line, int type, int cmd, String name, String key, long seq, List<byte[]> datagrams,
            String error, long bytes) implements Recorded {
    }

    /** One recorded ioctl on /dev/pf: the argument and pointees after the call, and its errno. */
    private record IoctlExchange(int line, FreeBsdIoctl io, String key, int errno, byte[] arg, Map<String, byte[]> pointees,
            long bytes) implements Recorded {
    }

    private final String source;
    private final TraceInput input;
    private final JsonNode header;
    private final FreeBsdRelease release;
    private final TracePolls polls;
    private final boolean devPf;
    private Entries cursor;
    private boolean cursorDone;
    private final LinkedList<Recorded> seen = new LinkedList<>();
    private long seenBytes;
    private final Set<Integer> used = new HashSet<>();
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private String pendingError;

    private ReplayNetlinkSocket(String source, TraceInput input, JsonNode header, FreeBsdRelease release, TracePolls polls,
            boolean devPf) {
        this.source = source;
        this.input = input;
        this.header = header;
        this.release = release;
        this.polls = polls;
        this.devPf = devPf;
    }

    /** Opens a trace file; a name ending in ".gz" is read through gzip. */
    public static ReplayNetlinkSocket open(Path file) throws IOException {
        return TraceInput.open(file, ReplayNetlinkSocket::scan);
    }

    /** Reads a trace held in memory (tests); every problem names the source and line. */
    public static ReplayNetlinkSocket read(String source, BufferedReader r) throws IOException {
        return TraceInput.read(source, r, ReplayNetlinkSocket::scan);
    }

    private static ReplayNetlinkSocket scan(String source, TraceInput input) throws IOException {
        try (TraceLines lines = new TraceLines(source, input.openAt(0), 0, 0)) {
            JsonNode header = TraceHeader.first(source, lines);
            TraceHeader.checkVersion(source, header);
            FreeBsdRelease release = release(source, header);
            Instant takenAt = TraceHeader.checkTimes(source, header);
            TracePolls.Scan polls = new TracePolls.Scan(source, lines);
            boolean anyIoctl = false;
            Entries entries = new Entries(source, lines);
            while (true) {
                polls.limitPoll();
                Object e = entries.next();
                if (e == null) {
                    break;
                }
                if (e instanceof Marker m) {
                    polls.marker(m.line(), m.offset(), m.at(), entries.offset(), entries.number());
                    continue;
                }
                polls.exchange();
                anyIoctl |= e instanceof IoctlExchange;
            }
            return new ReplayNetlinkSocket(source, input, header, release, polls.finish(takenAt), header.has("dev_pf") || anyIoctl);
        }
    }

    /** The FreeBSD release the header's {@code abi} names. */
    private static FreeBsdRelease release(String source, JsonNode header) {
        String abi = header.path("abi").asText("");
        FreeBsdRelease release = null;
        for (FreeBsdRelease r : FreeBsdRelease.values()) {
            if (r.id().equals(abi)) {
                release = r;
            }
        }
        if (release == null) {
            throw new TraceException(TraceEntries.where(source, 1) + ": \"abi\" is \"" + abi + "\", not a FreeBSD release pfmeter reads ("
                    + FreeBsdRelease.supportedIds() + ")");
        }
        return release;
    }

    /**
     * The entries of a netlink trace after its header: poll markers and exchanges, each exchange read
     * with the reply lines after it. Every line is checked, with its file and line.
     */
    private static final class Entries implements Closeable {
        private final String source;
        private final TraceLines lines;
        private JsonNode held;
        private TraceLines.Line heldLine;
        private int heldNumber;
        private long heldOffset;
        private long afterHeldOffset;

        Entries(String source, TraceLines lines) {
            this.source = source;
            this.lines = lines;
        }

        /** The offset where the entry after the last one returned starts. */
        long offset() {
            return held != null ? heldOffset : lines.offset();
        }

        /** The number of the line before that entry. */
        int number() {
            return held != null ? heldNumber - 1 : lines.number();
        }

        private JsonNode take() throws IOException {
            if (held != null) {
                JsonNode n = held;
                held = null;
                return n;
            }
            TraceLines.Line l;
            do {
                l = lines.next();
            } while (l != null && l.blank());
            if (l == null) {
                return null;
            }
            heldNumber = l.number();
            heldOffset = l.offset();
            return TraceEntries.parse(source, l);
        }

        Object next() throws IOException {
            JsonNode n = take();
            if (n == null) {
                return null;
            }
            int line = heldNumber;
            long offset = heldOffset;
            String at = TraceEntries.where(source, line);
            if (n.has("poll")) {
                try {
                    return new Marker(line, offset, Instant.parse(n.path("at").asText()));
                } catch (DateTimeParseException e) {
                    throw new TraceException(at + ": poll marker without a valid \"at\" time (ISO-8601 UTC,"
                            + " such as 2026-11-22T10:00:00Z): " + n.path("at"));
                }
            }
            if (n.has("reply")) {
                throw new TraceException(at + ": a reply line without the request before it: a damaged trace; record it again");
            }
            if (!n.has("netlink") && n.has("number")) {
                return ioctl(at, line, n);
            }
            if (!n.has("netlink")) {
                throw new TraceException(at + ": not a netlink exchange (no \"netlink\") nor a /dev/pf ioctl (no \"number\"):"
                        + " a FreeBSD trace holds netlink requests, their replies, ioctls and poll markers only");
            }
            if (!n.path("seq").isIntegralNumber()) {
                throw new TraceException(at + ": \"seq\" is " + n.path("seq") + ", not an integer");
            }
            long seq = n.get("seq").asLong();
            byte[] request = hex(at, "request", n.path("request"));
            List<NetlinkMessage> m;
            try {
                m = NetlinkMessage.parseAll(request);
            } catch (MalformedAnswerException e) {
                throw new TraceException(at + ": \"request\" is not a netlink message: " + e.getMessage());
            }
            if (m.size() != 1) {
                throw new TraceException(at + ": \"request\" holds " + m.size() + " netlink messages, a request is one");
            }
            int type = m.get(0).type();
            int cmd = request.length > 16 ? request[16] & 0xff : -1;
            if (n.path("nlmsg_type").asInt(-2) != type || n.path("cmd").asInt(-2) != cmd) {
                throw new TraceException(at + ": \"nlmsg_type\" " + n.path("nlmsg_type") + " and \"cmd\" " + n.path("cmd")
                        + " disagree with the request's own header (" + type + ", " + cmd + ")");
            }
            List<byte[]> datagrams = new ArrayList<>();
            String error = null;
            long bytes = request.length * 2L + 64;
            while (true) {
                JsonNode r = take();
                if (r == null) {
                    break;
                }
                if (!r.has("reply")) {
                    held = r;
                    break;
                }
                String rat = TraceEntries.where(source, heldNumber);
                if (r.get("reply").asLong(-1) != seq) {
                    throw new TraceException(rat + ": a reply to " + r.get("reply") + " after request " + seq
                            + ": replies follow their request; a damaged trace");
                }
                if (error != null) {
                    throw new TraceException(rat + ": a reply after the receive error of request " + seq);
                }
                if (r.has("error")) {
                    error = r.get("error").asText("");
                    continue;
                }
                byte[] d = hex(rat, "datagram", r.path("datagram"));
                try {
                    NetlinkMessage.parseAll(d);
                } catch (MalformedAnswerException e) {
                    throw new TraceException(rat + ": \"datagram\" is not netlink: " + e.getMessage());
                }
                datagrams.add(d);
                bytes += d.length;
            }
            return new Exchange(line, type, cmd, n.path("netlink").asText(""), NetlinkTraceFormat.key(request),
                    NetlinkTraceFormat.seq(request), List.copyOf(datagrams), error, bytes);
        }

        /** An ioctl line: a request pfmeter sends to FreeBSD's /dev/pf, its number, argument size, errno and buffer checked. */
        private static IoctlExchange ioctl(String at, int line, JsonNode n) {
            String name = n.path("request").asText("");
            FreeBsdIoctl io;
            try {
                io = FreeBsdIoctl.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new TraceException(at + ": unknown FreeBSD ioctl '" + name + "' (pfmeter records "
                        + java.util.Arrays.toString(FreeBsdIoctl.values()) + ")");
            }
            if (!n.path("number").isIntegralNumber() || n.get("number").asLong() != io.request()) {
                throw new TraceException(at + ": " + name + " has number " + n.path("number") + " but FreeBSD's is "
                        + io.request() + ": a damaged trace, or not one of FreeBSD's");
            }
            JsonNode e = n.get("errno");
            if (e == null || !e.isIntegralNumber() || !e.canConvertToInt() || e.asInt() < 0 || e.asInt() > FreeBsdIoctlFormat.ELAST) {
                throw new TraceException(at + ": " + name + " has errno " + (e == null ? "(none)" : e.toString())
                        + ", not 0 or a FreeBSD errno (1.." + FreeBsdIoctlFormat.ELAST + "): a damaged trace; record it again");
            }
            JsonNode rc = n.get("rc");
            if (rc != null && (!rc.isIntegralNumber() || rc.asLong() != (e.asInt() == 0 ? 0 : -1))) {
                throw new TraceException(at + ": " + name + " has rc " + rc + " with errno " + e
                        + " (rc is 0 with errno 0, -1 with an errno): a damaged trace; record it again");
            }
            if (!n.path("select").isObject()) {
                throw new TraceException(at + ": " + name + " has no \"select\" object");
            }
            byte[] arg = hex(at, "arg", n.path("arg"));
            if (arg.length != io.argument().size()) {
                throw new TraceException(at + ": " + name + " argument has " + arg.length + " bytes, struct "
                        + io.argument().name() + " has " + io.argument().size());
            }
            Map<String, byte[]> pointees = new java.util.HashMap<>();
            long bytes = arg.length + 64L;
            for (Map.Entry<String, JsonNode> p : n.path("pointees").properties()) {
                if (!p.getKey().equals(FreeBsdIoctlFormat.pointee(io))) {
                    throw new TraceException(at + ": " + name + " has no pointer field \"" + p.getKey() + "\"");
                }
                byte[] b = hex(at, "pointees." + p.getKey(), p.getValue());
                pointees.put(p.getKey(), b);
                bytes += b.length;
            }
            String key = FreeBsdIoctlFormat.key(io, (ObjectNode) n.get("select"));
            return new IoctlExchange(line, io, key, e.asInt(), arg, Map.copyOf(pointees), bytes + key.length());
        }

        private static byte[] hex(String at, String field, JsonNode v) {
            if (!v.isTextual()) {
                throw new TraceException(at + ": \"" + field + "\" is missing or not a string of hex digits");
            }
            try {
                return HEX.parseHex(v.asText());
            } catch (IllegalArgumentException e) {
                throw new TraceException(at + ": \"" + field + "\" is not hex: " + e.getMessage());
            }
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    public FreeBsdRelease release() {
        return release;
    }

    public int pollCount() {
        return polls.count();
    }

    @Override
    public synchronized void send(byte[] message) {
        if (!pending.isEmpty() || pendingError != null) {
            pending.clear();
            pendingError = null;                 // an answer not read to its end belongs to no one
        }
        int type = message.length >= 6 ? NetlinkRedaction.u16(message, 4) : -1;
        int cmd = message.length > 16 ? message[16] & 0xff : -1;
        if (NetlinkTraceFormat.isStatus(type, cmd)) {
            int next = polls.status();
            if (next >= 0) {
                startPoll(next);
            }
        }
        String key = NetlinkTraceFormat.key(message);
        Optional<Recorded> found = find(key);
        if (found.isEmpty() && NetlinkTraceFormat.isFamily(type)) {
            found = family(key);
        }
        if (found.isEmpty()) {
            throw new TraceException("the trace " + source + " has no answer for " + NetlinkTraceFormat.name(message)
                    + " (request " + key + ") in " + polls.where());
        }
        Exchange e = (Exchange) found.get();
        long seq = NetlinkTraceFormat.seq(message);
        for (byte[] d : e.datagrams()) {
            pending.add(NetlinkTraceFormat.reseq(d, e.seq(), seq));
        }
        pendingError = e.error();
    }

    @Override
    public synchronized byte[] receive() {
        if (!pending.isEmpty()) {
            return pending.poll();
        }
        if (pendingError != null) {
            String why = pendingError;
            pendingError = null;
            throw new PfDeviceException(why);
        }
        throw new TraceException("the trace " + source + " holds no more datagrams for the last request (" + polls.where() + ")");
    }

    private void startPoll(int p) {
        closeCursor();
        polls.moveTo(p);
        cursorDone = false;
        seen.clear();
        seenBytes = 0;
        used.clear();
    }

    private void closeCursor() {
        if (cursor != null) {
            try {
                cursor.close();
            } catch (IOException e) {
                // only read from: nothing lost
            }
            cursor = null;
        }
    }

    private Entries cursor() throws IOException {
        if (cursor == null) {
            TracePolls.Start p = polls.start();
            cursor = new Entries(source, p.open(source, input));
        }
        return cursor;
    }

    /** The first unused exchange of the current poll with this key: skipped ones, then reading on, then a second reader. */
    private Optional<Recorded> find(String key) {
        try {
            for (Iterator<Recorded> it = seen.iterator(); it.hasNext();) {
                Recorded x = it.next();
                if (x.key().equals(key)) {
                    it.remove();
                    seenBytes -= x.bytes();
                    used.add(x.line());
                    return Optional.of(x);
                }
            }
            while (!cursorDone && seenBytes <= TraceLimits.LOOKAHEAD_BYTES) {
                Object o = cursor().next();
                if (!(o instanceof Recorded x)) {
                    cursorDone = true;
                    break;
                }
                if (used.contains(x.line())) {
                    continue;
                }
                if (x.key().equals(key)) {
                    used.add(x.line());
                    return Optional.of(x);
                }
                seen.add(x);
                seenBytes += x.bytes();
            }
            return cursorDone ? Optional.empty() : search(polls.current(), key, true);
        } catch (IOException e) {
            throw new TraceException("cannot read the trace " + source + ": " + e.getMessage());
        }
    }

    /** Reads poll {@code p} from its start for an exchange with this key (unused ones only, when {@code unused}). */
    private Optional<Recorded> search(int p, String key, boolean unused) throws IOException {
        TracePolls.Start s = polls.start(p);
        try (Entries l = new Entries(source, s.open(source, input))) {
            Object o;
            while ((o = l.next()) instanceof Recorded x) {
                if (x.key().equals(key) && !(unused && used.contains(x.line()))) {
                    if (unused) {
                        used.add(x.line());
                    }
                    return Optional.of(x);
                }
            }
        }
        return Optional.empty();
    }

    /** The family's answer of the first poll: it does not change while pf stays loaded. */
    private Optional<Recorded> family(String key) {
        try {
            return search(0, key, false);
        } catch (IOException e) {
            throw new TraceException("cannot read the trace " + source + ": " + e.getMessage());
        }
    }

    /**
     * The traced host's /dev/pf, answering the ioctls the trace recorded between its netlink lines;
     * empty for a trace recorded without it (before pfmeter recorded them, or with no /dev/pf open).
     */
    public Optional<PfDevice> device() {
        return devPf ? Optional.of(new DevPf()) : Optional.empty();
    }

    /** An ioctl answered from the current poll (the one the last PFNL_CMD_GET_STATUS moved to). */
    private synchronized int answer(IoctlCall call) {
        FreeBsdIoctl io = FreeBsdIoctl.of(call.request()).orElseThrow(() -> new TraceException("the trace " + source
                + " cannot answer " + call.name() + " (request number " + call.request() + "): not an ioctl pfmeter sends to FreeBSD"));
        ObjectNode select = FreeBsdIoctlFormat.select(io, call.argument());
        Optional<Recorded> found = find(FreeBsdIoctlFormat.key(io, select));
        if (found.isEmpty()) {
            throw new TraceException("the trace " + source + " has no answer for " + io.name() + " " + select
                    + " in " + polls.where());
        }
        IoctlExchange x = (IoctlExchange) found.get();
        String at = TraceEntries.where(source, x.line());
        if (call.argument().capacity() != x.arg().length) {
            throw new TraceException(io.name() + " at " + at + ": the recorded argument has " + x.arg().length
                    + " bytes, the caller's " + call.argument().capacity());
        }
        for (IoctlCall.Pointee p : call.pointees()) {
            byte[] b = x.pointees().get(p.field());
            if (b == null && x.errno() != 0) {
                continue;
            }
            if (b == null || b.length != p.buffer().capacity()) {
                throw new TraceException(io.name() + " at " + at + ": " + p.field() + " holds " + (b == null ? 0 : b.length)
                        + " bytes, the caller's buffer " + p.buffer().capacity());
            }
        }
        call.argument().put(0, x.arg());
        for (IoctlCall.Pointee p : call.pointees()) {
            byte[] b = x.pointees().get(p.field());
            if (b != null) {
                p.buffer().put(0, b);
            }
        }
        return x.errno();
    }

    /** The replayed /dev/pf: a view of this trace, closed with it. */
    private final class DevPf implements PfDevice {
        @Override
        public int ioctl(IoctlCall call) {
            return answer(call);
        }

        @Override
        public String kernelRelease() {
            return ReplayNetlinkSocket.this.kernelRelease();
        }

        @Override
        public Optional<Instant> bootTime() {
            return ReplayNetlinkSocket.this.bootTime();
        }

        @Override
        public String describe() {
            return "/dev/pf of " + ReplayNetlinkSocket.this.describe();
        }

        @Override
        public void close() {
            // the trace closes with the socket
        }
    }

    /** A clock at the recorded time of the poll the next {@code poll()} will be served from. */
    public Clock recordedClock() {
        return polls.recordedClock(this);
    }

    /** The traced host's boot time, when the header has it. */
    public Optional<Instant> bootTime() {
        return TraceHeader.bootTime(header);
    }

    /** The traced host's {@code uname -r}. */
    public String kernelRelease() {
        return header.path("kernel_release").asText(release.version());
    }

    @Override
    public String describe() {
        return "trace " + source + " (" + polls.counted() + ", " + release.describe() + ")";
    }

    @Override
    public synchronized void close() {
        closeCursor();
    }
}
