package org.pfmeter.pf.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfIoctl;

/**
 * Answers from a trace: each call gets the next recorded exchange of the current poll with the same
 * request and the same selecting inputs; tickets it hands out are mapped to the trace's. A call the
 * trace cannot answer fails with a {@link TraceException} naming the call: it never invents data.
 * With several polls recorded, each DIOCGETSTATUS after the first of a poll moves to the next poll,
 * so counters move as they did; after the last poll the last one is served again.
 */
public final class ReplayPfDevice implements PfDevice {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded exchange. */
    private final List<java.time.Instant> pollTimes;

    private record Exchange(int line, PfIoctl io, long number, JsonNode select, int errno, byte[] arg, Map<String, byte[]> pointees) {
    }

    /** One recorded sysctl: its MIB and the buffer length asked select it. */
    private record SysctlExchange(int line, String mib, long oldlenIn, int errno, long oldlen, byte[] old) {
    }

    private final String source;
    private final JsonNode header;
    private final AbiRelease release;
    private final PfAbi abi;
    private final List<List<Exchange>> polls;
    private final List<List<SysctlExchange>> sysctls;
    private final boolean anySysctl;
    private int poll;
    private boolean[] used;
    private boolean[] usedSysctl;
    private boolean statusServed;
    private long nextTicket = 1;
    private final Map<Long, Long> tickets = new HashMap<>();

    private ReplayPfDevice(String source, JsonNode header, AbiRelease release, List<List<Exchange>> polls,
            List<List<SysctlExchange>> sysctls, List<java.time.Instant> pollTimes) {
        this.pollTimes = pollTimes;
        this.source = source;
        this.header = header;
        this.release = release;
        this.abi = release.abi();
        this.polls = polls;
        this.used = new boolean[polls.get(0).size()];
        this.sysctls = sysctls;
        this.anySysctl = sysctls.stream().anyMatch(l -> !l.isEmpty());
        this.usedSysctl = new boolean[sysctls.get(0).size()];
    }

    /** Opens a trace file; a name ending in ".gz" is read through gzip. */
    public static ReplayPfDevice open(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new TraceException("cannot read the trace " + file + ": no such readable file");
        }
        java.io.InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new java.util.zip.GZIPInputStream(in);
        }
        try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            return read(file.toString(), r);
        }
    }

    /** Parses a whole trace; every problem names the source and line. */
    public static ReplayPfDevice read(String source, BufferedReader r) throws IOException {
        String first = r.readLine();
        if (first == null) {
            throw new TraceException(source + " is empty: not a pfmeter trace");
        }
        JsonNode header = parse(source, 1, first);
        if (!header.has("pfmeter_trace")) {
            throw new TraceException(source + " line 1 is not a trace header (no \"pfmeter_trace\")");
        }
        if (header.get("pfmeter_trace").asInt() != TraceFormat.VERSION) {
            throw new TraceException(source + " is trace format version " + header.get("pfmeter_trace").asText()
                    + "; this pfmeter reads version " + TraceFormat.VERSION);
        }
        AbiRelease release;
        try {
            release = AbiRelease.parse(header.path("abi").asText(""));
        } catch (IllegalArgumentException e) {
            throw new TraceException(source + " was recorded with an ABI pfmeter cannot decode: " + e.getMessage());
        }
        PfAbi abi = release.abi();
        List<List<Exchange>> polls = new ArrayList<>();
        List<java.time.Instant> pollTimes = new ArrayList<>();
        List<Exchange> current = new ArrayList<>();
        List<List<SysctlExchange>> sysctls = new ArrayList<>();
        List<SysctlExchange> currentSysctls = new ArrayList<>();
        int lineNo = 1;
        String line;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = parse(source, lineNo, line);
            if (n.has("poll")) {
                if (!current.isEmpty() || !currentSysctls.isEmpty()) {
                    polls.add(current);
                    current = new ArrayList<>();
                    sysctls.add(currentSysctls);
                    currentSysctls = new ArrayList<>();
                }
                try {
                    pollTimes.add(java.time.Instant.parse(n.path("at").asText()));
                } catch (java.time.format.DateTimeParseException e) {
                    throw new TraceException(source + " line " + lineNo + ": poll marker without a valid \"at\" time");
                }
                continue;
            }
            if (n.has("sysctl")) {
                currentSysctls.add(sysctlExchange(source, lineNo, n));
                continue;
            }
            String name = n.path("request").asText("");
            PfIoctl io;
            try {
                io = PfIoctl.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new TraceException(source + " line " + lineNo + ": unknown request '" + name + "'");
            }
            long number = n.path("number").asLong();
            if (number != abi.request(io)) {
                throw new TraceException(source + " line " + lineNo + ": " + name + " has number " + number
                        + " but the " + release.version() + " ABI named in the header uses " + abi.request(io)
                        + ": the trace does not match its header's release");
            }
            byte[] arg = bytes(source, lineNo, "arg", n.path("arg").asText(null));
            int argSize = io.argument().equals("u_int32_t") ? 4 : abi.struct(io.argument()).size();
            if (arg.length != argSize) {
                throw new TraceException(source + " line " + lineNo + ": " + name + " argument has " + arg.length
                        + " bytes, struct " + io.argument() + " has " + argSize + " in " + release.version());
            }
            Map<String, byte[]> pointees = new HashMap<>();
            n.path("pointees").fields().forEachRemaining(e -> pointees.put(e.getKey(), bytes(source, -1, e.getKey(), e.getValue().asText())));
            current.add(new Exchange(lineNo, io, number, n.path("select"), n.path("errno").asInt(), arg, pointees));
        }
        if (!current.isEmpty() || !currentSysctls.isEmpty()) {
            polls.add(current);
            sysctls.add(currentSysctls);
        }
        if (polls.isEmpty()) {
            throw new TraceException(source + " holds a header but no exchanges");
        }
        while (pollTimes.size() < polls.size()) {
            pollTimes.add(java.time.Instant.parse(header.path("taken_at").asText("1970-01-01T00:00:00Z")));
        }
        return new ReplayPfDevice(source, header, release, polls, sysctls, pollTimes);
    }

    private static SysctlExchange sysctlExchange(String source, int lineNo, JsonNode n) {
        if (!n.path("mib").isArray() || n.path("mib").isEmpty()) {
            throw new TraceException(source + " line " + lineNo + ": sysctl " + n.path("sysctl").asText() + " without a \"mib\"");
        }
        int errno = n.path("errno").asInt();
        byte[] old = bytes(source, lineNo, "old", n.path("old").asText(null));
        long oldlen = n.path("oldlen").asLong(-1);
        if (errno == 0 && oldlen != old.length) {
            throw new TraceException(source + " line " + lineNo + ": sysctl " + n.path("sysctl").asText() + " reports oldlen "
                    + oldlen + " but holds " + old.length + " bytes");
        }
        return new SysctlExchange(lineNo, n.path("mib").toString(), n.path("select").path("oldlen").asLong(-1), errno, oldlen, old);
    }

    private static JsonNode parse(String source, int lineNo, String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new TraceException(source + " line " + lineNo + " is not complete JSON (a truncated trace?): "
                    + e.getOriginalMessage());
        }
    }

    private static byte[] bytes(String source, int lineNo, String field, String hex) {
        if (hex == null) {
            throw new TraceException(source + " line " + lineNo + ": no \"" + field + "\" bytes");
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new TraceException(source + (lineNo > 0 ? " line " + lineNo : "") + ": \"" + field + "\" is not hex: " + e.getMessage());
        }
    }

    /** The release the trace was decoded with when recorded. */
    public AbiRelease release() {
        return release;
    }

    public int pollCount() {
        return polls.size();
    }

    @Override
    public synchronized int ioctl(IoctlCall call) {
        PfIoctl io = abi.ioctl(call.request()).orElseThrow(() -> new TraceException(
                "the trace " + source + " (OpenBSD " + release.version() + " ABI) cannot answer " + call.name()
                        + " with request number " + call.request() + ": read it with --abi " + release.version()));
        if (io == PfIoctl.DIOCGETSTATUS) {
            if (statusServed && poll + 1 < polls.size()) {
                poll++;
                used = new boolean[polls.get(poll).size()];
                usedSysctl = new boolean[sysctls.get(poll).size()];
                tickets.clear();
            } else if (statusServed) {
                used = new boolean[polls.get(poll).size()];   // the last poll again
                usedSysctl = new boolean[sysctls.get(poll).size()];
                tickets.clear();
            }
            statusServed = true;
        }
        ObjectNode select;
        try {
            select = TraceFormat.select(abi, io, call);
        } catch (org.pfmeter.pf.abi.MalformedAnswerException e) {
            throw new TraceException("the trace " + source + " cannot answer " + io.name() + ": its request is malformed: " + e.getMessage());
        }
        int ticketAt = TraceFormat.ticketOffset(abi, io);
        boolean carriesTicket = ticketAt >= 0 && io != PfIoctl.DIOCGETRULES && io != PfIoctl.DIOCGETQUEUES;
        if (carriesTicket) {
            long callerTicket = select.get("ticket").asLong();
            Long recorded = tickets.get(callerTicket);
            select.put("ticket", recorded == null ? -1 : recorded);
        }
        List<Exchange> ex = polls.get(poll);
        for (int i = 0; i < ex.size(); i++) {
            Exchange e = ex.get(i);
            if (!used[i] && e.io == io && e.select.toString().equals(select.toString())) {   // IntNode(0) ≠ LongNode(0)
                used[i] = true;
                return answer(call, io, e, ticketAt);
            }
        }
        if (io == PfIoctl.DIOCGETSTATES) {
            Optional<Integer> errno = states(call, ex);
            if (errno.isPresent()) {
                return errno.get();
            }
        }
        throw new TraceException("the trace " + source + " has no answer for " + io.name() + " " + select
                + " in poll " + (poll + 1) + " of " + polls.size());
    }

    /**
     * The next unused recorded sysctl of the current poll with the same MIB and buffer length. A trace
     * recorded before pfmeter recorded sysctls holds none: it answers ENOPROTOOPT, as a kernel
     * without the protocol does, so what the sysctl would have read is reported as not present.
     */
    @Override
    public synchronized int sysctl(org.pfmeter.pf.abi.SysctlCall call) {
        if (!anySysctl) {
            return org.pfmeter.pf.abi.Errno.ENOPROTOOPT;
        }
        String mib = JSON.valueToTree(call.mib()).toString();
        List<SysctlExchange> ex = sysctls.get(poll);
        for (int i = 0; i < ex.size(); i++) {
            SysctlExchange e = ex.get(i);
            if (!usedSysctl[i] && e.mib.equals(mib) && e.oldlenIn == call.oldLength()) {
                usedSysctl[i] = true;
                if (e.errno == 0) {
                    if (e.old.length > call.old().capacity()) {
                        throw new TraceException("sysctl " + call.name() + " at line " + e.line + ": the recorded answer has "
                                + e.old.length + " bytes, more than the caller's buffer of " + call.old().capacity());
                    }
                    call.old().put(0, e.old);
                    call.oldLength(e.oldlen);
                }
                return e.errno;
            }
        }
        throw new TraceException("the trace " + source + " has no answer for sysctl " + call.name() + " " + mib
                + " (oldlen " + call.oldLength() + ") in poll " + (poll + 1) + " of " + polls.size());
    }

    /**
     * DIOCGETSTATES offered a length the recording did not offer (a reader whose kept buffer has
     * another size, or a second read in the same poll): answered from the poll's recorded table as
     * pf_states_get() answers from a table that holds it, so any reader's growth protocol works. A size
     * query gets the recorded size; a read gets the whole states that fit its buffer and the bytes they
     * take. Empty when the poll recorded no complete read of the table.
     */
    private Optional<Integer> states(IoctlCall call, List<Exchange> ex) {
        org.pfmeter.pf.abi.PfsyncState codec = abi.pfsyncState();
        int psLen = codec.psLen;
        int header = abi.struct("pfioc_states").size();
        Exchange size = null;
        byte[] table = null;
        for (Exchange e : ex) {
            if (e.io != PfIoctl.DIOCGETSTATES || e.errno != 0) {
                continue;
            }
            long offered = e.select.path("ps_len").asLong();
            long answered = ByteBuffer.wrap(e.arg).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(psLen);
            byte[] buf = e.pointees.get("ps_buf");
            if (offered == 0 && size == null) {
                size = e;
            } else if (offered > 0 && buf != null && answered + header < offered && answered <= buf.length) {
                table = java.util.Arrays.copyOf(buf, (int) answered);   // a complete read: the whole table
            }
        }
        long asked = NativeBytes.u64(call.argument(), psLen);
        if (asked == 0 && size != null) {
            NativeBytes.putU64(call.argument(), psLen, ByteBuffer.wrap(size.arg).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(psLen));
            return Optional.of(0);
        }
        Optional<IoctlCall.Pointee> into = call.pointees().stream().filter(p -> p.field().equals("ps_buf")).findFirst();
        if (asked == 0 || table == null || into.isEmpty()) {
            return Optional.empty();
        }
        int fit = (int) Math.min(table.length, Math.min(asked, into.get().buffer().capacity()) / codec.size() * codec.size());
        into.get().buffer().put(0, table, 0, fit);
        NativeBytes.putU64(call.argument(), psLen, fit);
        return Optional.of(0);
    }

    private int answer(IoctlCall call, PfIoctl io, Exchange e, int ticketAt) {
        ByteBuffer arg = call.argument();
        byte[] callerPointers = new byte[arg.capacity()];
        arg.get(0, callerPointers);
        arg.put(0, e.arg);
        for (IoctlCall.Pointee p : call.pointees()) {
            for (int i = 0; i < 8; i++) {
                arg.put(p.offset() + i, callerPointers[p.offset() + i]);
            }
            byte[] recorded = e.pointees.get(p.field());
            if (recorded == null) {
                continue;
            }
            if (recorded.length > p.buffer().capacity()) {
                throw new TraceException(io.name() + " at line " + e.line + ": the recorded " + p.field() + " has "
                        + recorded.length + " bytes, more than the caller's buffer of " + p.buffer().capacity());
            }
            p.buffer().put(0, recorded);
        }
        checkElements(io, e, arg);
        if (ticketAt >= 0) {
            long recordedTicket = NativeBytes.u32(arg, ticketAt);
            if (io == PfIoctl.DIOCGETRULES || io == PfIoctl.DIOCGETQUEUES) {
                if (e.errno == 0) {
                    long issued = nextTicket++;
                    tickets.put(issued, recordedTicket);
                    NativeBytes.putU32(arg, ticketAt, issued);
                }
            } else {
                NativeBytes.putU32(arg, ticketAt, NativeBytes.u32(call.argument(), ticketAt));
                for (Map.Entry<Long, Long> t : tickets.entrySet()) {
                    if (t.getValue() == recordedTicket) {
                        NativeBytes.putU32(arg, ticketAt, t.getKey());
                    }
                }
            }
        }
        return e.errno;
    }

    /** A buffer shorter than the elements its count claims is a broken trace, not data. */
    private void checkElements(PfIoctl io, Exchange e, ByteBuffer arg) {
        if (e.errno != 0) {
            return;
        }
        Optional<long[]> need = switch (io) {
            case DIOCIGETIFACES -> Optional.of(new long[] {arg.getInt(abi.struct("pfioc_iface").offset("pfiio_size")), abi.kif().size()});
            case DIOCRGETTSTATS -> {
                int n = arg.getInt(abi.struct("pfioc_table").offset("pfrio_size"));
                int cap = e.select.path("pfrio_size").asInt();
                yield Optional.of(new long[] {n <= cap ? n : 0, abi.tstats().size()});
            }
            case DIOCRGETASTATS -> {
                int n = arg.getInt(abi.struct("pfioc_table").offset("pfrio_size"));
                int cap = e.select.path("pfrio_size").asInt();
                yield Optional.of(new long[] {n <= cap ? n : 0, abi.astats().size()});
            }
            default -> Optional.empty();
        };
        if (need.isPresent()) {
            String field = io == PfIoctl.DIOCIGETIFACES ? "pfiio_buffer" : "pfrio_buffer";
            byte[] buf = e.pointees.get(field);
            long bytes = need.get()[0] * need.get()[1];
            if (bytes > 0 && (buf == null || buf.length < bytes)) {
                throw new TraceException(io.name() + " at line " + e.line + ": " + field + " holds "
                        + (buf == null ? 0 : buf.length) + " bytes, fewer than " + need.get()[0] + " elements of "
                        + need.get()[1] + " bytes");
            }
        }
    }

    /**
     * A clock at the recorded time of the poll the next {@code PfReader.poll()} will be served from
     * (a reader asks the time just before its first ioctl), so replayed snapshots carry their
     * recorded times.
     */
    public java.time.Clock recordedClock() {
        ReplayPfDevice self = this;
        return new java.time.Clock() {
            @Override
            public java.time.Instant instant() {
                synchronized (self) {
                    int next = !statusServed ? 0 : Math.min(poll + 1, polls.size() - 1);
                    return pollTimes.get(next);
                }
            }

            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
    }

    /** The traced host's boot time, when the trace header has it. */
    @Override
    public java.util.Optional<java.time.Instant> bootTime() {
        String b = header.path("boot_time").asText("");
        return b.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(java.time.Instant.parse(b));
    }

    @Override
    public String kernelRelease() {
        return header.path("kernel_release").asText(release.version());
    }

    @Override
    public String describe() {
        return "trace " + source + " (" + polls.size() + " poll" + (polls.size() == 1 ? "" : "s") + ", OpenBSD "
                + release.version() + " ABI)";
    }

    @Override
    public void close() {
    }
}
