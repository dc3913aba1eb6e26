package org.pfmeter.pf.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfIoctl;

/**
 * Wraps any device and writes every exchange to a trace (see {@link TraceFormat}). With a
 * {@link Redactor}, addresses in rules are zeroed and table and label names replaced before writing.
 */
public final class RecordingPfDevice implements PfDevice {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PfDevice inner;
    private final PfAbi abi;
    private final TraceWriter out;
    private final Redactor redactor;
    private long seq;

    /**
     * @param machine  as {@code uname -m} prints it
     * @param redactor null to record verbatim
     */
    public RecordingPfDevice(PfDevice inner, AbiRelease release, Writer out, String machine, Instant takenAt, Redactor redactor) {
        this.inner = inner;
        this.abi = release.abi();
        this.out = new TraceWriter(out);
        this.redactor = redactor;
        write(TraceFormat.header(inner.kernelRelease(), machine, release.version(), takenAt, redactor != null,
                inner.describe(), inner.bootTime()));
    }

    /** Marks the start of a poll; replay steps through polls one {@code PfReader.poll()} at a time. */
    public synchronized void markPoll(Instant at) {
        out.markPoll(at);
    }

    public synchronized int polls() {
        return out.polls();
    }

    @Override
    public synchronized int ioctl(IoctlCall call) {
        Optional<PfIoctl> io = abi.ioctl(call.request());
        ObjectNode select = io.map(i -> TraceFormat.select(abi, i, call)).orElse(JSON.createObjectNode());
        int errno = inner.ioctl(call);
        ObjectNode line = JSON.createObjectNode();
        line.put("seq", ++seq);
        line.put("request", call.name());
        line.put("number", call.request());
        line.set("select", select);
        line.put("rc", errno == 0 ? 0 : -1);
        line.put("errno", errno);
        ByteBuffer arg = copy(call.argument());
        ObjectNode pointees = JSON.createObjectNode();
        ObjectNode continued = JSON.createObjectNode();
        java.util.Map<String, ByteBuffer> rest = new java.util.LinkedHashMap<>();
        for (IoctlCall.Pointee p : call.pointees()) {
            int length = recordedBytes(io, errno, call, p);
            if (length > TraceLimits.MAX_POINTEE_BYTES) {
                throw refuse(call.name() + " answered " + length + " bytes of " + p.field() + ", more than the "
                        + TraceLimits.size(TraceLimits.MAX_POINTEE_BYTES) + " a trace holds of one buffer");
            }
            ByteBuffer b = copy(p.buffer(), length);
            if (redactor != null && io.isPresent()) {
                redactor.redactPointee(abi, io.get(), p.field(), b, call.argument());
            }
            // a buffer larger than a chunk goes on continuation lines, so no line outgrows what replay reads
            pointees.put(p.field(), NativeBytes.hex(b, 0, Math.min(length, TraceLimits.CHUNK_BYTES)));
            if (length > TraceLimits.CHUNK_BYTES) {
                continued.put(p.field(), length);
                rest.put(p.field(), b);
            }
        }
        if (redactor != null && io.isPresent()) {
            redactor.redactArgument(abi, io.get(), arg, select);
        }
        line.put("arg", TraceFormat.hex(arg));
        if (!call.pointees().isEmpty()) {
            line.set("pointees", pointees);
        }
        if (!rest.isEmpty()) {
            line.set("continued", continued);
        }
        write(line);
        for (java.util.Map.Entry<String, ByteBuffer> r : rest.entrySet()) {
            ByteBuffer b = r.getValue();
            for (int from = TraceLimits.CHUNK_BYTES; from < b.capacity(); from += TraceLimits.CHUNK_BYTES) {
                ObjectNode c = JSON.createObjectNode();
                c.put("continues", seq);
                c.put("pointee", r.getKey());
                c.put("hex", NativeBytes.hex(b, from, Math.min(TraceLimits.CHUNK_BYTES, b.capacity() - from)));
                write(c);
            }
        }
        return errno;
    }

    /** Records a sysctl as a line of its own (see {@link TraceFormat}); sysctls are never redacted: they hold no names. */
    @Override
    public synchronized int sysctl(org.pfmeter.pf.abi.SysctlCall call) {
        long oldlenIn = call.oldLength();
        int errno = inner.sysctl(call);
        ObjectNode line = JSON.createObjectNode();
        line.put("seq", ++seq);
        line.put("sysctl", call.name());
        com.fasterxml.jackson.databind.node.ArrayNode mib = line.putArray("mib");
        for (int m : call.mib()) {
            mib.add(m);
        }
        line.putObject("select").put("oldlen", oldlenIn);
        line.put("rc", errno == 0 ? 0 : -1);
        line.put("errno", errno);
        line.put("oldlen", call.oldLength());
        ByteBuffer old = copy(call.old());
        if (errno == 0 && Math.min(call.oldLength(), old.capacity()) > TraceLimits.CHUNK_BYTES) {
            throw refuse("sysctl " + call.name() + " answered " + call.oldLength() + " bytes, more than the "
                    + TraceLimits.size(TraceLimits.CHUNK_BYTES) + " a trace holds of one sysctl");
        }
        line.put("old", errno == 0 ? NativeBytes.hex(old, 0, (int) Math.min(call.oldLength(), old.capacity())) : "");
        write(line);
        return errno;
    }

    private static ByteBuffer copy(ByteBuffer b) {
        return copy(b, b.capacity());
    }

    private static ByteBuffer copy(ByteBuffer b, int length) {
        ByteBuffer c = NativeBytes.allocate(length);
        c.put(0, b, 0, length);
        return c;
    }

    /**
     * The bytes of a pointee worth keeping: all of it, except DIOCGETSTATES' buffer, of which only the
     * {@code ps_len} bytes the kernel wrote (pfctl's growth rule offers twice the table: the rest is
     * the caller's, and would double a trace that is already 528 hex digits a state).
     */
    private int recordedBytes(Optional<PfIoctl> io, int errno, IoctlCall call, IoctlCall.Pointee p) {
        int all = p.buffer().capacity();
        if (errno != 0 || io.isEmpty() || io.get() != PfIoctl.DIOCGETSTATES) {
            return all;
        }
        long used = NativeBytes.u64(call.argument(), abi.pfsyncState().psLen);
        return used >= 0 && used < all ? (int) used : all;
    }

    /**
     * What the trace could not hold (see {@link TraceLimits}), when recording stopped because of it:
     * the reader saw that ioctl fail, and nothing was written after it.
     */
    public synchronized Optional<TraceException> refused() {
        return out.refused();
    }

    private TraceException refuse(String why) {
        return out.refuse(why);
    }

    private void write(ObjectNode node) {
        out.write(node);
    }

    @Override
    public String kernelRelease() {
        return inner.kernelRelease();
    }

    @Override
    public String describe() {
        return inner.describe() + ", recorded";
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            inner.close();
        }
    }
}
