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
import org.pfmeter.pf.abi.PfDeviceException;
import org.pfmeter.pf.abi.PfIoctl;

/**
 * Wraps any device and writes every exchange to a trace (see {@link TraceFormat}). With a
 * {@link Redactor}, addresses in rules are zeroed and table and label names replaced before writing.
 */
public final class RecordingPfDevice implements PfDevice {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PfDevice inner;
    private final PfAbi abi;
    private final Writer out;
    private final Redactor redactor;
    private long seq;
    private int polls;

    /**
     * @param machine  as {@code uname -m} prints it
     * @param redactor null to record verbatim
     */
    public RecordingPfDevice(PfDevice inner, AbiRelease release, Writer out, String machine, Instant takenAt, Redactor redactor) {
        this.inner = inner;
        this.abi = release.abi();
        this.out = out;
        this.redactor = redactor;
        ObjectNode h = JSON.createObjectNode();
        h.put("pfmeter_trace", TraceFormat.VERSION);
        h.put("kernel_release", inner.kernelRelease());
        h.put("machine", machine);
        h.put("abi", release.version());
        h.put("taken_at", takenAt.toString());
        h.put("redacted", redactor != null);
        h.put("device", inner.describe());
        inner.bootTime().ifPresent(b -> h.put("boot_time", b.toString()));
        write(h);
    }

    /** Marks the start of a poll; replay steps through polls one {@code PfReader.poll()} at a time. */
    public synchronized void markPoll(Instant at) {
        ObjectNode p = JSON.createObjectNode();
        p.put("poll", ++polls);
        p.put("at", at.toString());
        write(p);
    }

    public synchronized int polls() {
        return polls;
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
        for (IoctlCall.Pointee p : call.pointees()) {
            ByteBuffer b = copy(p.buffer(), recordedBytes(io, errno, call, p));
            if (redactor != null && io.isPresent()) {
                redactor.redactPointee(abi, io.get(), p.field(), b, call.argument());
            }
            pointees.put(p.field(), TraceFormat.hex(b));
        }
        if (redactor != null && io.isPresent()) {
            redactor.redactArgument(abi, io.get(), arg, select);
        }
        line.put("arg", TraceFormat.hex(arg));
        if (!call.pointees().isEmpty()) {
            line.set("pointees", pointees);
        }
        write(line);
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

    private void write(ObjectNode node) {
        try {
            out.write(JSON.writeValueAsString(node));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new PfDeviceException("cannot write the trace: " + e.getMessage());
        }
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
