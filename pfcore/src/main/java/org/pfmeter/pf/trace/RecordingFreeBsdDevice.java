package org.pfmeter.pf.trace;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.freebsd.FreeBsdIoctl;

/**
 * FreeBSD's /dev/pf with each ioctl written to the trace of a {@link RecordingNetlinkSocket}, as an
 * ioctl line between its netlink lines ({@link FreeBsdIoctlFormat}). A buffer larger than one line
 * holds ({@link TraceLimits#CHUNK_BYTES}) is refused, as a netlink datagram that large is.
 */
final class RecordingFreeBsdDevice implements PfDevice {

    private final PfDevice inner;
    private final RecordingNetlinkSocket trace;

    RecordingFreeBsdDevice(PfDevice inner, RecordingNetlinkSocket trace) {
        this.inner = inner;
        this.trace = trace;
    }

    @Override
    public int ioctl(IoctlCall call) {
        Optional<FreeBsdIoctl> io = FreeBsdIoctl.of(call.request());
        if (io.isEmpty()) {
            throw trace.refuseLine(call.name() + " (request " + call.request() + ") is none of the FreeBSD ioctls a trace holds");
        }
        ObjectNode select = FreeBsdIoctlFormat.select(io.get(), call.argument());
        int errno = inner.ioctl(call);
        ObjectNode line = TraceEntries.JSON.createObjectNode();
        line.put("seq", trace.nextSeq());
        line.put("request", io.get().name());
        line.put("number", io.get().request());
        line.set("select", select);
        line.put("rc", errno == 0 ? 0 : -1);
        line.put("errno", errno);
        ByteBuffer arg = copy(call.argument());
        Redactor redactor = trace.redactor();
        ObjectNode pointees = TraceEntries.JSON.createObjectNode();
        for (IoctlCall.Pointee p : call.pointees()) {
            int length = p.buffer().capacity();
            if (length > TraceLimits.CHUNK_BYTES) {
                throw trace.refuseLine(io.get().name() + " answered " + length + " bytes of " + p.field() + ", more than the "
                        + TraceLimits.size(TraceLimits.CHUNK_BYTES) + " a FreeBSD trace holds of one buffer");
            }
            ByteBuffer b = copy(p.buffer());
            if (redactor != null) {
                FreeBsdIoctlFormat.redact(redactor, io.get(), null, p.field(), b);
            }
            pointees.put(p.field(), NativeBytes.hex(b, 0, length));
        }
        if (redactor != null) {
            FreeBsdIoctlFormat.redact(redactor, io.get(), arg, null, null);
        }
        line.put("arg", NativeBytes.hex(arg, 0, arg.capacity()));
        if (!call.pointees().isEmpty()) {
            line.set("pointees", pointees);
        }
        trace.writeLine(line);
        return errno;
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = NativeBytes.allocate(b.capacity());
        c.put(0, b, 0, b.capacity());
        return c;
    }

    @Override
    public String kernelRelease() {
        return inner.kernelRelease();
    }

    @Override
    public Optional<java.time.Instant> bootTime() {
        return inner.bootTime();
    }

    @Override
    public String describe() {
        return inner.describe() + ", recorded";
    }

    @Override
    public void close() {
        inner.close();
    }
}
