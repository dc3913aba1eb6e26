package org.pfmeter.pf.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfDeviceException;
import org.pfmeter.pf.abi.netlink.NetlinkSocket;

/**
 * Wraps a netlink socket (FreeBSD's pf) and writes every exchange to a trace: the request a line, then
 * each datagram the kernel answered with a line of its own (see {@link NetlinkTraceFormat}). With a
 * {@link Redactor}, rules, table names and source-node addresses are redacted ({@link NetlinkRedaction}).
 * The limits are {@link TraceLimits}', as for ioctls. Given FreeBSD's /dev/pf as well, {@link #device()}
 * records its binary ioctls ({@link FreeBsdIoctlFormat}) into the same trace, between the netlink lines
 * in call order, and the header names it ({@code "dev_pf"}), so replay answers them too.
 */
public final class RecordingNetlinkSocket implements NetlinkSocket {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private final NetlinkSocket inner;
    private final TraceWriter out;
    private final NetlinkRedaction redaction;
    private final Redactor redactor;
    private final Optional<PfDevice> devPf;
    private long seq;
    /** The seq of the last netlink request: its replies name it, whatever ioctls came between. */
    private long lastRequest;

    /**
     * @param kernelRelease as {@code uname -r} prints it on the traced host
     * @param machine       as {@code uname -m} prints it
     * @param redactor      null to record verbatim
     */
    public RecordingNetlinkSocket(NetlinkSocket inner, FreeBsdRelease release, String kernelRelease, Writer out, String machine,
                                  Instant takenAt, Optional<Instant> bootTime, Redactor redactor) {
        this(inner, Optional.empty(), release, kernelRelease, out, machine, takenAt, bootTime, redactor);
    }

    /**
     * As above, also recording the ioctls made on {@code devPf} (the same kernel's /dev/pf): read
     * through {@link #device()}.
     */
    public RecordingNetlinkSocket(NetlinkSocket inner, Optional<PfDevice> devPf, FreeBsdRelease release, String kernelRelease,
                                  Writer out, String machine, Instant takenAt, Optional<Instant> bootTime, Redactor redactor) {
        this.inner = inner;
        this.out = new TraceWriter(out);
        this.redactor = redactor;
        this.redaction = redactor == null ? null : new NetlinkRedaction(redactor);
        this.devPf = devPf.map(d -> new RecordingFreeBsdDevice(d, this));
        ObjectNode h = TraceFormat.header(kernelRelease, machine, release.id(), takenAt, redactor != null,
                inner.describe(), bootTime);
        devPf.ifPresent(d -> h.put("dev_pf", d.describe()));
        write(h);
    }

    /** Marks the start of a poll; replay moves to the next poll at each PFNL_CMD_GET_STATUS after the first. */
    public synchronized void markPoll(Instant at) {
        out.markPoll(at);
    }

    public synchronized int polls() {
        return out.polls();
    }

    @Override
    public synchronized void send(byte[] message) {
        ObjectNode line = JSON.createObjectNode();
        lastRequest = ++seq;
        line.put("seq", lastRequest);
        line.put("netlink", NetlinkTraceFormat.name(message));
        line.put("nlmsg_type", message.length >= 6 ? NetlinkRedaction.u16(message, 4) : -1);
        line.put("cmd", message.length > 16 ? message[16] & 0xff : -1);
        line.put("request", HEX.formatHex(message));
        write(line);
        inner.send(message);
    }

    @Override
    public synchronized byte[] receive() {
        byte[] d;
        try {
            d = inner.receive();
        } catch (PfDeviceException e) {
            ObjectNode line = JSON.createObjectNode();
            line.put("reply", lastRequest);
            line.put("error", String.valueOf(e.getMessage()));
            write(line);
            throw e;
        }
        if (d.length > TraceLimits.CHUNK_BYTES) {
            throw refuse("a netlink datagram of " + d.length + " bytes, more than the "
                    + TraceLimits.size(TraceLimits.CHUNK_BYTES) + " a trace holds of one datagram");
        }
        byte[] kept = redaction == null ? d : redaction.datagram(d);
        ObjectNode line = JSON.createObjectNode();
        line.put("reply", lastRequest);
        line.put("datagram", HEX.formatHex(kept));
        write(line);
        return d;
    }

    /** /dev/pf, recording each ioctl into this trace; empty when none was given. Closing it closes the device only. */
    public Optional<PfDevice> device() {
        return devPf;
    }

    /** The redactor, or null when recording verbatim. */
    Redactor redactor() {
        return redactor;
    }

    /** The next line's {@code seq}: requests and ioctls count together. */
    synchronized long nextSeq() {
        return ++seq;
    }

    /** Writes a line of the device's, within the trace's limits. */
    synchronized void writeLine(ObjectNode line) {
        write(line);
    }

    synchronized TraceException refuseLine(String why) {
        return refuse(why);
    }

    /** What the trace could not hold (see {@link TraceLimits}), when recording stopped because of it. */
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
