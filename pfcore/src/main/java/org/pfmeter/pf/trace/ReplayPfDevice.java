package org.pfmeter.pf.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedList;
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

    /** An exchange read by the cursor and not used yet. */
    private record Seen(int line, long offset, String key, TraceEntries.Entry entry, long bytes) {
    }

    private final String source;
    private final TraceInput input;
    private final JsonNode header;
    private final AbiRelease release;
    private final PfAbi abi;
    private final TraceEntries entries;
    private final TracePolls polls;
    private final boolean anySysctl;
    private TraceLines cursor;
    private boolean cursorDone;
    private final LinkedList<Seen> seen = new LinkedList<>();
    private long seenBytes;
    /** Lines after the cursor already answered (found by {@link #searchAhead}). */
    private final java.util.Set<Integer> takenAhead = new java.util.HashSet<>();
    private long nextTicket = 1;
    private final Map<Long, Long> tickets = new HashMap<>();

    private ReplayPfDevice(String source, TraceInput input, JsonNode header, AbiRelease release, TracePolls polls,
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
            JsonNode header = TraceHeader.first(source, lines);
            TraceHeader.checkVersion(source, header);
            AbiRelease release = release(source, header);
            Instant takenAt = TraceHeader.checkTimes(source, header);
            TraceEntries entries = new TraceEntries(source, release);
            TracePolls.Scan polls = new TracePolls.Scan(source, lines);
            boolean anySysctl = false;
            TraceEntries.Entry e;
            while (true) {
                polls.limitPoll();
                e = entries.next(lines, null);
                if (e == null) {
                    break;
                }
                if (e instanceof TraceEntries.PollMarker m) {
                    polls.marker(m.line(), m.offset(), m.at(), lines.offset(), lines.number());
                    continue;
                }
                anySysctl |= e instanceof TraceEntries.SysctlExchange;
                polls.exchange();
            }
            return new ReplayPfDevice(source, input, header, release, polls.finish(takenAt), anySysctl);
        }
    }

    /** The ABI the header names. */
    private static AbiRelease release(String source, JsonNode header) {
        try {
            return AbiRelease.parse(header.path("abi").asText(""));
        } catch (IllegalArgumentException e) {
            throw new TraceException(source + " was recorded with an ABI pfmeter cannot decode: " + e.getMessage());
        }
    }

    /** The release the trace was decoded with when recorded. */
    public AbiRelease release() {
        return release;
    }

    public int pollCount() {
        return polls.count();
    }

    @Override
    public synchronized int ioctl(IoctlCall call) {
        PfIoctl io = abi.ioctl(call.request()).orElseThrow(() -> new TraceException(
                "the trace " + source + " (OpenBSD " + release.version() + " ABI) cannot answer " + call.name()
                        + " with request number " + call.request() + ": read it with --abi " + release.version()));
        if (io == PfIoctl.DIOCGETSTATUS) {
            int next = polls.status();
            if (next >= 0) {
                startPoll(next);
            }
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
                + " in " + polls.where());
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
                    + " (oldlen " + call.oldLength() + ") in " + polls.where());
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
        boolean continuing = cursor != null && p == polls.current() + 1 && cursorDone && cursor.offset() == polls.start(p).offset();
        if (!continuing) {
            closeCursor();
        }
        polls.moveTo(p);
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
            TracePolls.Start p = polls.start();
            cursor = p.open(source, input);
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
        TracePolls.Start p = polls.start();
        byte[] only = "\"request\":\"DIOCGETSTATES\"".getBytes(StandardCharsets.US_ASCII);
        try (TraceLines l = p.open(source, input)) {
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
        return polls.recordedClock(this);
    }

    /** The traced host's boot time, when the trace header has it. */
    @Override
    public java.util.Optional<java.time.Instant> bootTime() {
        return TraceHeader.bootTime(header);   // checked when the trace was opened
    }

    @Override
    public String kernelRelease() {
        return header.path("kernel_release").asText(release.version());
    }

    @Override
    public String describe() {
        return "trace " + source + " (" + polls.counted() + ", OpenBSD " + release.version() + " ABI)";
    }

    @Override
    public synchronized void close() {
        closeCursor();
    }
}
