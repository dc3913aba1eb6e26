package org.pfmeter.pf.sim.freebsd;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import org.pfmeter.pf.abi.netlink.Netlink;
import org.pfmeter.pf.abi.netlink.NetlinkMessage;
import org.pfmeter.pf.abi.netlink.NetlinkRequest;

/**
 * The kernel-side framing the simulated states and limiters handlers share, as FreeBSD's
 * netlink_message_writer.c writes it (031fb30f):
 *
 * <ul>
 *   <li>a reply message ({@code nlmsg_reply}): the request's type, flags, seq and pid echoed (a
 *       dump handler adds {@code NLM_F_MULTI} to the flags first), a {@code genlmsghdr} with the
 *       command, version 0, then attributes laid out as {@code nlattr_add} does (4-byte aligned,
 *       {@code nla_len} without the padding, zero padding, a nested length covering its members'
 *       padding): the same layout {@link NetlinkRequest} writes, so that class writes them;</li>
 *   <li>the acknowledgement ({@code nlmsg_ack}) of a request with {@code NLM_F_ACK} that was not a
 *       dump: {@code NLMSG_ERROR}, flags {@code NLM_F_CAPPED}, a {@code struct nlmsgerr} with the
 *       error (FreeBSD's positive errno, 0 for success) and the request's 16-byte header (the capped
 *       form: a socket with {@code NETLINK_CAP_ACK}, as libpfctl's snl sets it);</li>
 *   <li>the end of a dump ({@code nlmsg_end_dump}): {@code NLMSG_DONE}, flags 0, one int with the
 *       dump's result; it suppresses the acknowledgement;</li>
 *   <li>the writer's buffer is {@code NLMBUFSIZE} (2 KiB): completed messages are flushed to the
 *       socket when the next does not fit, so an answer is a list of chunks of at most 2 KiB (a
 *       larger message alone in its chunk).</li>
 * </ul>
 *
 * {@code pid} is what the kernel writes into {@code nlmsg_pid}: the request header's for data and
 * NLMSG_DONE, the socket's port for the acknowledgement; the simulated socket passes its port.
 */
final class FreeBsdSimStatesReply {

    /** {@code NLMBUFSIZE}: the writer's mbuf storage. */
    static final int NLMBUFSIZE = 2048;

    private final NetlinkMessage request;
    private final int pid;
    private final List<byte[]> chunks = new ArrayList<>();
    private ByteArrayOutputStream chunk = new ByteArrayOutputStream();

    FreeBsdSimStatesReply(NetlinkMessage request, int pid) {
        this.request = request;
        this.pid = pid;
    }

    /** A reply message for {@code cmd} with the request's flags plus {@code extraFlags}; add attributes, then {@link #add}. */
    NetlinkRequest message(int cmd, int extraFlags) {
        return NetlinkRequest.genl(request.type(), cmd, 0, request.flags() | extraFlags, request.seq());
    }

    /** Appends a finished message (its nlmsg_pid set to {@code pid}). */
    FreeBsdSimStatesReply add(NetlinkRequest m) {
        return addRaw(withPid(m.toBytes()));
    }

    private byte[] withPid(byte[] b) {
        for (int i = 0; i < 4; i++) {
            b[12 + i] = (byte) (pid >>> (8 * i));
        }
        return b;
    }

    private FreeBsdSimStatesReply addRaw(byte[] b) {
        if (chunk.size() > 0 && chunk.size() + b.length > NLMBUFSIZE) {
            flush();
        }
        chunk.writeBytes(b);
        return this;
    }

    private void flush() {
        if (chunk.size() > 0) {
            chunks.add(chunk.toByteArray());
            chunk = new ByteArrayOutputStream();
        }
    }

    /** NLMSG_ERROR with {@code errno} (0: the acknowledgement) and the request's header. */
    FreeBsdSimStatesReply ack(int errno) {
        byte[] b = new byte[Netlink.NLMSG_HDRLEN + 4 + Netlink.NLMSG_HDRLEN];
        putU32(b, 0, b.length);
        putU16(b, 4, Netlink.NLMSG_ERROR);
        putU16(b, 6, Netlink.NLM_F_CAPPED);
        putU32(b, 8, request.seq());
        putU32(b, 12, pid);
        putU32(b, 16, errno);
        putU32(b, 20, request.length());
        putU16(b, 24, request.type());
        putU16(b, 26, request.flags());
        putU32(b, 28, request.seq());
        putU32(b, 32, request.pid());
        return addRaw(b);
    }

    /** NLMSG_DONE with the dump's result. */
    FreeBsdSimStatesReply done(int errno) {
        byte[] b = new byte[Netlink.NLMSG_HDRLEN + 4];
        putU32(b, 0, b.length);
        putU16(b, 4, Netlink.NLMSG_DONE);
        putU32(b, 8, request.seq());
        putU32(b, 12, pid);
        putU32(b, 16, errno);
        return addRaw(b);
    }

    /** The chunks the socket receives, in order. */
    List<byte[]> chunks() {
        flush();
        return List.copyOf(chunks);
    }

    private static void putU16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    private static void putU32(byte[] b, int off, long v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
