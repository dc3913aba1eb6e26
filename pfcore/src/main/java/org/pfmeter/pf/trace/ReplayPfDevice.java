package org.pfmeter.pf.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfIoctl;
import org.pfmeter.pf.trace.TraceEntries.Exchange;

/**
 * Answers from a trace: each call gets the next recorded exchange of the current poll with the same
 * request and the same selecting inputs; tickets it hands out are mapped to the trace's. A call the
 * trace cannot answer fails with a {@link TraceException} naming the call: it never invents data.
 * With several polls recorded, each DIOCGETSTATUS after the first of a poll moves to the next poll,
 * so counters move as they did; after the last poll the last one is served again.
 *
 * <p>The trace is streamed, never held: opening it checks every line once (so a broken trace is refused
 * with its file and line before anything is served) and keeps only where each poll starts; serving reads
 * the current poll forward as the calls come, keeping at most {@link TraceLimits#LOOKAHEAD_BYTES} of
 * exchanges skipped over (a call asked out of the recorded order finds them there, or further on by a
 * second reader that keeps nothing).
 */
public final class ReplayPfDevice implements PfDevice {

    /** Where a poll's exchanges start (after its marker) and when it was taken. */
    private record PollStart(long offset, int line, Instant at) {
    }

    /** An exchange read by the cursor and not used yet. */
    private record Seen(int line, long offset, String key, TraceEntries.Entry entry, long bytes) {
    }

    private final String source;
    private final TraceInput input;
    private final JsonNode header;
    private final AbiRelease release;
    private final PfAbi abi;
    private final TraceEntries entries;
    private final List<PollStart> polls;
    private final boolean anySysctl;
    private int poll;
    private TraceLines cursor;
    private boolean cursorDone;
    private final LinkedList<Seen> seen = new LinkedList<>();
    private long seenBytes;
    /** Lines after the cursor already answered (found by {@link #searchAhead}). */
    private final java.util.Set<Integer> takenAhead = new java.util.HashSet<>();
    private boolean statusServed;
    private long nextTicket = 1;
    private final Map<Long, Long> tickets = new HashMap<>();

    private ReplayPfDevice(String source, TraceInput input, JsonNode header, AbiRelease release, List<PollStart> polls,
            boolean anySysctl) {
        this.source = source;
        this.input = input;
        this.header = header;
        this.release = release;
        this.abi = release.abi();
        this.entries = new TraceEntries(source, release);
        this.polls = polls;
        this.anySysctl = anySysctl;
    }

    /** Opens a trace file; a name ending in ".gz" is read through gzip. */
    public static ReplayPfDevice open(Path file) throws IOException {
        return TraceInput.open(file, ReplayPfDevice::scan);
    }

    /** Reads a trace held in memory (tests, small traces); every problem names the source and line. */
    public static ReplayPfDevice read(String source, BufferedReader r) throws IOException {
        return TraceInput.read(source, r, ReplayPfDevice::scan);
    }

    /**
     * Checks the whole trace once, line by line, against {@link TraceLimits} and the format, and notes
     * where each poll starts. Holds one line (or one exchange with its continuations) at a time.
     */
    private static ReplayPfDevice scan(String source, TraceInput input) throws IOException {
        try (TraceLines lines = new TraceLines(source, input.openAt(0), 0, 0)) {
            TraceLines.Line first = lines.next();
            if (first == null) {
                throw new TraceException(source + " is empty: not a pfmeter trace");
            }
            JsonNode header = TraceEntries.parse(source, first);
            AbiRelease release = header(source, header);
            TraceEntries entries = new TraceEntries(source, release);
            List<PollStart> polls = new ArrayList<>();
            Instant takenAt = header.has("taken_at") ? Instant.parse(header.get("taken_at").asText()) : Instant.EPOCH;
            PollStart current = new PollStart(lines.offset(), lines.number(), null);
            long pollBytesFrom = lines.offset();
            boolean currentHasEntries = false;
            boolean anySysctl = false;
            boolean anyEntry = false;
            int markers = 0;
            TraceEntries.Entry e;
            while (true) {
                int pollNo = polls.size() + 1;
                lines.limit(pollBytesFrom + TraceLimits.MAX_POLL_BYTES, () -> "poll " + pollNo + " holds more than "
                        + TraceLimits.size(TraceLimits.MAX_POLL_BYTES) + ", more than a trace's poll may hold (pfmeter record"
                        + " refuses such a poll): not a pfmeter trace (a gzip bomb?) or a damaged one");
                e = entries.next(lines, null);
                if (e == null) {
                    break;
                }
                if (e instanceof TraceEntries.PollMarker m) {
                    if (++markers > TraceLimits.MAX_POLLS) {
                        throw new TraceException(TraceEntries.where(source, m.line()) + ": more than " + TraceLimits.MAX_POLLS
                                + " polls, more than a trace may hold: not a pfmeter trace, or record fewer polls");
                    }
                    if (currentHasEntries) {
                        polls.add(current);
                        current = new PollStart(lines.offset(), lines.number(), m.at());
                        currentHasEntries = false;
                    } else {
                        // a poll marker after an empty poll moves its start; the first marker's time stays
                        current = new PollStart(lines.offset(), lines.number(), current.at() == null ? m.at() : current.at());
                    }
                    pollBytesFrom = m.offset();
                    continue;
                }
                anySysctl |= e instanceof TraceEntries.SysctlExchange;
                currentHasEntries = true;
                anyEntry = true;
            }
            if (currentHasEntries) {
                polls.add(current);
            }
            if (!anyEntry) {
                throw new TraceException(source + " holds a header but no exchanges");
            }
            List<PollStart> timed = new ArrayList<>(polls.size());
            for (PollStart p : polls) {
                timed.add(p.at() == null ? new PollStart(p.offset(), p.line(), takenAt) : p);
            }
            return new ReplayPfDevice(source, input, header, release, List.copyOf(timed), anySysctl);
        }
    }

    /** Checks the header line; every value replay uses later is checked here, with the line. */
    private static AbiRelease header(String source, JsonNode header) {
        String at = TraceEntries.where(source, 1);
        if (!header.has("pfmeter_trace")) {
            throw new TraceException(at + " is not a trace header (no \"pfmeter_trace\")");
        }
        if (!header.get("pfmeter_trace").isIntegralNumber() || header.get("pfmeter_trace").asInt() != TraceFormat.VERSION) {
            throw new TraceException(source + " is trace format version " + header.get("pfmeter_trace")
                    + "; this pfmeter reads version " + TraceFormat.VERSION);
        }
        AbiRelease release;
        try {
            release = AbiRelease.parse(header.path("abi").asText(""));
        } catch (IllegalArgumentException e) {
            throw new TraceException(source + " was recorded with an ABI pfmeter cannot decode: " + e.getMessage());
        }
        for (String time : List.of("taken_at", "boot_time")) {
            JsonNode t = header.get(time);
            if (t == null || (time.equals("boot_time") && t.asText("").isEmpty())) {
                continue;
            }
            try {
                Instant.parse(t.asText(""));
            } catch (DateTimeParseException e) {
                throw new TraceException(at + ": \"" + time + "\" is " + t + ", not an ISO-8601 UTC time such as"
                        + " 2026-11-22T10:00:00Z: a damaged header; correct it or record the trace again");
            }
        }
        return release;
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
            if (statusServed) {
                startPoll(Math.min(poll + 1, polls.size() - 1));   // after the last poll, the last one again
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
        // IntNode(0) and LongNode(0) print alike: the key compares text, as the recorder wrote it
        Optional<TraceEntries.Entry> found = find(TraceEntries.key(io, select));
        if (found.isPresent()) {
            return answer(call, io, (Exchange) found.get(), ticketAt);
        }
        if (io == PfIoctl.DIOCGETSTATES) {
            Optional<Integer> errno = states(call);
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
        String mib = TraceEntries.JSON.valueToTree(call.mib()).toString();
        Optional<TraceEntries.Entry> found = find(TraceEntries.SysctlExchange.key(mib, call.oldLength()));
        if (found.isEmpty()) {
            throw new TraceException("the trace " + source + " has no answer for sysctl " + call.name() + " " + mib
                    + " (oldlen " + call.oldLength() + ") in poll " + (poll + 1) + " of " + polls.size());
        }
        TraceEntries.SysctlExchange e = (TraceEntries.SysctlExchange) found.get();
        if (e.errno() == 0) {
            if (e.old().length > call.old().capacity()) {
                throw new TraceException("sysctl " + call.name() + " at " + TraceEntries.where(source, e.line()) + ": the recorded answer has "
                        + e.old().length + " bytes, more than the caller's buffer of " + call.old().capacity());
            }
            call.old().put(0, e.old());
            call.oldLength(e.oldlen());
        }
        return e.errno();
    }

    private static String key(TraceEntries.Entry e) {
        if (e instanceof Exchange x) {
            return x.key();
        }
        return e instanceof TraceEntries.SysctlExchange x ? x.key() : "poll";
    }

    private static long bytes(TraceEntries.Entry e) {
        if (e instanceof Exchange x) {
            return x.bytes();
        }
        return e instanceof TraceEntries.SysctlExchange x ? x.old().length + 64L : 0;
    }

    /** Starts serving poll {@code p} from its first exchange; moving on to the next poll keeps reading the same stream. */
    private void startPoll(int p) {
        boolean continuing = cursor != null && p == poll + 1 && cursorDone && cursor.offset() == polls.get(p).offset();
        if (!continuing) {
            closeCursor();
        }
        poll = p;
        cursorDone = false;
        seen.clear();
        seenBytes = 0;
        takenAhead.clear();
        tickets.clear();
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

    private TraceLines cursor() throws IOException {
        if (cursor == null) {
            PollStart p = polls.get(poll);
            cursor = new TraceLines(source, input.openAt(p.offset()), p.offset(), p.line());
        }
        return cursor;
    }

    /**
     * The first unused exchange of the current poll, in recorded order, whose key is {@code key}: among
     * those the cursor read past (kept in memory, at most {@link TraceLimits#LOOKAHEAD_BYTES}), then
     * reading on. When the look-ahead is full (calls far out of the recorded order, or a call the
     * trace cannot answer), the rest of the poll is searched by a second reader that keeps nothing; what
     * it takes the cursor skips later.
     */
    private Optional<TraceEntries.Entry> find(String key) {
        try {
            for (java.util.Iterator<Seen> it = seen.iterator(); it.hasNext();) {
                Seen s = it.next();
                if (s.key().equals(key)) {
                    it.remove();
                    seenBytes -= s.bytes();
                    return Optional.of(s.entry());
                }
            }
            while (!cursorDone && seenBytes <= TraceLimits.LOOKAHEAD_BYTES) {
                TraceEntries.Entry e = entries.next(cursor(), null);
                if (e == null || e instanceof TraceEntries.PollMarker) {
                    cursorDone = true;
                    break;
                }
                if (takenAhead.remove(e.line())) {
                    continue;
                }
                String k = key(e);
                if (k.equals(key)) {
                    return Optional.of(e);
                }
                long b = bytes(e);
                seen.add(new Seen(e.line(), e.offset(), k, e, b));
                seenBytes += b;
            }
            return cursorDone ? Optional.empty() : searchAhead(key);
        } catch (IOException e) {
            throw new TraceException("cannot read the trace " + source + ": " + e.getMessage());
        }
    }

    /** The rest of the poll after the cursor, read by a second reader that keeps only what it returns. */
    private Optional<TraceEntries.Entry> searchAhead(String key) throws IOException {
        TraceLines c = cursor();
        try (TraceLines l = new TraceLines(source, input.openAt(c.offset()), c.offset(), c.number())) {
            TraceEntries.Entry e;
            while ((e = entries.next(l, null)) != null && !(e instanceof TraceEntries.PollMarker)) {
                if (!takenAhead.contains(e.line()) && key(e).equals(key)) {
                    takenAhead.add(e.line());
                    return Optional.of(e);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * DIOCGETSTATES offered a length the recording did not offer (a reader whose kept buffer has
     * another size, or a second read in the same poll): answered from the poll's recorded table as
     * pf_states_get() answers from a table that holds it, so any reader's growth protocol works. A size
     * query gets the recorded size; a read gets the whole states that fit its buffer and the bytes they
     * take. Empty when the poll recorded no complete read of the table. Reads the poll again for its
     * DIOCGETSTATES lines only, keeping one table.
     */
    private Optional<Integer> states(IoctlCall call) {
        org.pfmeter.pf.abi.PfsyncState codec = abi.pfsyncState();
        int psLen = codec.psLen;
        int header = abi.struct("pfioc_states").size();
        Exchange size = null;
        byte[] table = null;
        PollStart p = polls.get(poll);
        byte[] only = "\"request\":\"DIOCGETSTATES\"".getBytes(StandardCharsets.US_ASCII);
        try (TraceLines l = new TraceLines(source, input.openAt(p.offset()), p.offset(), p.line())) {
            TraceEntries.Entry any;
            while ((any = entries.next(l, only)) != null && !(any instanceof TraceEntries.PollMarker)) {
                if (!(any instanceof Exchange e) || e.io() != PfIoctl.DIOCGETSTATES || e.errno() != 0) {
                    continue;
                }
                long offered = e.select().path("ps_len").asLong();
                long answered = ByteBuffer.wrap(e.arg()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(psLen);
                byte[] buf = e.pointees().get("ps_buf");
                if (offered == 0 && size == null) {
                    size = e;
                } else if (offered > 0 && buf != null && answered + header < offered && answered <= buf.length) {
                    table = java.util.Arrays.copyOf(buf, (int) answered);   // a complete read: the whole table
                }
            }
        } catch (IOException e) {
            throw new TraceException("cannot read the trace " + source + ": " + e.getMessage());
        }
        long asked = NativeBytes.u64(call.argument(), psLen);
        if (asked == 0 && size != null) {
            NativeBytes.putU64(call.argument(), psLen, ByteBuffer.wrap(size.arg()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(psLen));
            return Optional.of(0);
        }
        Optional<IoctlCall.Pointee> into = call.pointees().stream().filter(q -> q.field().equals("ps_buf")).findFirst();
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
        arg.put(0, e.arg());
        for (IoctlCall.Pointee p : call.pointees()) {
            for (int i = 0; i < 8; i++) {
                arg.put(p.offset() + i, callerPointers[p.offset() + i]);
            }
            byte[] recorded = e.pointees().get(p.field());
            if (recorded == null) {
                continue;
            }
            if (recorded.length > p.buffer().capacity()) {
                throw new TraceException(io.name() + " at " + TraceEntries.where(source, e.line()) + ": the recorded " + p.field() + " has "
                        + recorded.length + " bytes, more than the caller's buffer of " + p.buffer().capacity());
            }
            p.buffer().put(0, recorded);
        }
        checkElements(io, e, arg);
        if (ticketAt >= 0) {
            long recordedTicket = NativeBytes.u32(arg, ticketAt);
            if (io == PfIoctl.DIOCGETRULES || io == PfIoctl.DIOCGETQUEUES) {
                if (e.errno() == 0) {
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
        return e.errno();
    }

    /** A buffer shorter than the elements its count claims is a broken trace, not data. */
    private void checkElements(PfIoctl io, Exchange e, ByteBuffer arg) {
        if (e.errno() != 0) {
            return;
        }
        Optional<long[]> need = switch (io) {
            case DIOCIGETIFACES -> Optional.of(new long[] {arg.getInt(abi.struct("pfioc_iface").offset("pfiio_size")), abi.kif().size()});
            case DIOCRGETTSTATS -> {
                int n = arg.getInt(abi.struct("pfioc_table").offset("pfrio_size"));
                int cap = e.select().path("pfrio_size").asInt();
                yield Optional.of(new long[] {n <= cap ? n : 0, abi.tstats().size()});
            }
            case DIOCRGETASTATS -> {
                int n = arg.getInt(abi.struct("pfioc_table").offset("pfrio_size"));
                int cap = e.select().path("pfrio_size").asInt();
                yield Optional.of(new long[] {n <= cap ? n : 0, abi.astats().size()});
            }
            default -> Optional.empty();
        };
        if (need.isPresent()) {
            String field = io == PfIoctl.DIOCIGETIFACES ? "pfiio_buffer" : "pfrio_buffer";
            byte[] buf = e.pointees().get(field);
            long bytes = need.get()[0] * need.get()[1];
            if (bytes > 0 && (buf == null || buf.length < bytes)) {
                throw new TraceException(io.name() + " at " + TraceEntries.where(source, e.line()) + ": " + field + " holds "
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
                    return polls.get(next).at();
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
        String b = header.path("boot_time").asText("");   // checked when the trace was opened
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
    public synchronized void close() {
        closeCursor();
    }
}
