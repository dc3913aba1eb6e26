package org.pfmeter.pf.sim.freebsd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pfmeter.pf.abi.KernelStrings;
import org.pfmeter.pf.abi.netlink.Netlink;

/**
 * The kernel's netlink message writer ({@code sys/netlink/netlink_message_writer.c} and
 * {@code .h}) for one socket: messages go into a buffer that starts small and is flushed as one
 * datagram whenever the next item does not fit ({@code _nlmsg_refill_buffer}) and once more when the
 * request has been handled ({@code nlmsg_flush}). What it writes, as the kernel does:
 * <ul>
 *   <li>a message header whose {@code nlmsg_len} is fixed at {@code nlmsg_end}, host byte order;</li>
 *   <li>attributes as {@code nlattr_add} writes them: {@code nla_len} = 4 + payload (padding not
 *       counted), the 4-byte padding zeroed, strings with their NUL;</li>
 *   <li>nested attributes as {@code nlattr_add_nested} writes them: the plain type, <em>without</em>
 *       {@code NLA_F_NESTED}, and a length covering the members and their padding;</li>
 *   <li>{@code nlmsg_end_dump}'s NLMSG_DONE with one int (the result), which suppresses the ACK;</li>
 *   <li>{@code nlmsg_ack}'s NLMSG_ERROR: the errno as the handler returned it (positive: FreeBSD's own
 *       netlink does not negate, only its Linux translation layer does), then the request's header,
 *       or the whole request when the answer is an error and the socket did not ask for
 *       {@code NETLINK_CAP_ACK}; NLM_F_CAPPED when only the header is echoed.</li>
 * </ul>
 * Buffers are fresh (zeroed) arrays, as the kernel's M_ZERO allocations are. Not thread-safe.
 */
public final class FreeBsdNlWriter {

    /** {@code NLMSG_SMALL}: the size {@code nl_process_mbuf} asks its unicast writer for. */
    static final int NLMSG_SMALL = 128;
    /** {@code NLMBUFSIZE} (netlink_var.h): the largest mbuf-backed writer buffer. */
    static final int NLMBUFSIZE = 2048;
    /**
     * {@code MHLEN} on amd64 (MSIZE 256 less the mbuf and packet headers): what a request for at most
     * this many bytes gets from {@code m_get2}. An approximation; it only decides where datagrams split.
     */
    static final int MHLEN = 168;

    private final List<byte[]> datagrams = new ArrayList<>();
    private byte[] data;
    private int offset;
    private int hdr = -1;
    /** {@code nw->suppress_ack}: set by {@link #endDump}, cleared per request. */
    boolean suppressAck;

    FreeBsdNlWriter() {
        data = buffer(NLMSG_SMALL);
    }

    /** {@code nlmsg_get_buf}: an mbuf of MHLEN or NLMBUFSIZE bytes, or a malloc'ed buffer beyond. */
    private static byte[] buffer(int size) {
        if (size <= MHLEN) {
            return new byte[MHLEN];
        }
        return new byte[size <= NLMBUFSIZE ? NLMBUFSIZE : size];
    }

    private void refill(int required) {
        int completed = hdr >= 0 ? hdr : offset;
        int newLen;
        if (completed > 0 && required < NLMBUFSIZE) {
            newLen = Math.max(data.length, NLMBUFSIZE);
        } else {
            newLen = data.length < NLMBUFSIZE ? NLMBUFSIZE : data.length * 2;
            while (newLen < required) {
                newLen *= 2;
            }
        }
        byte[] fresh = buffer(newLen);
        int last = offset - completed;
        if (last > 0) {
            System.arraycopy(data, hdr, fresh, 0, last);
        }
        emit(completed);
        data = fresh;
        offset = Math.max(last, 0);
        hdr = last > 0 ? 0 : -1;
    }

    private void emit(int len) {
        if (len > 0) {
            datagrams.add(Arrays.copyOf(data, len));
        }
    }

    private int reserve(int size) {
        int need = Netlink.align(size);
        if (offset + need > data.length) {
            refill(need);
        }
        int at = offset;
        offset += need;
        return at;
    }

    private void put16(int at, int v) {
        data[at] = (byte) v;
        data[at + 1] = (byte) (v >>> 8);
    }

    private void put32(int at, long v) {
        for (int i = 0; i < 4; i++) {
            data[at + i] = (byte) (v >>> (8 * i));
        }
    }

    // ---- messages

    /** {@code nlmsg_add}: a message header; {@code len} is provisional until {@link #end}. */
    public void add(long portid, long seq, int type, int flags, int len) {
        if (hdr >= 0) {
            throw new IllegalStateException("a message is already open");
        }
        int required = Netlink.align(len + Netlink.NLMSG_HDRLEN);
        if (offset + required > data.length) {
            refill(required);
        }
        hdr = offset;
        put32(hdr, len);
        put16(hdr + 4, type);
        put16(hdr + 6, flags);
        put32(hdr + 8, seq);
        put32(hdr + 12, portid);
        offset += Netlink.NLMSG_HDRLEN;
    }

    /** {@code nlmsg_reply}: a message echoing the request's pid, seq, type and flags. */
    public void reply(FreeBsdNlRequest r, int payload) {
        add(r.pid(), r.seq(), r.type(), r.flags(), payload);
    }

    /** {@code nlmsg_reserve_object(nw, struct genlmsghdr)} filled in: cmd, version, reserved 0. */
    public void genlHeader(int cmd, int version) {
        int at = reserve(4);
        data[at] = (byte) cmd;
        data[at + 1] = (byte) version;
        put16(at + 2, 0);
    }

    /** {@code nlmsg_end}: fixes {@code nlmsg_len}. */
    public void end() {
        put32(hdr, offset - hdr);
        hdr = -1;
    }

    /** {@code nlmsg_abort}: drops the open message. */
    public void abort() {
        if (hdr >= 0) {
            offset = hdr;
            hdr = -1;
        }
    }

    /** {@code nlmsg_end_dump}: NLMSG_DONE carrying the dump's result; no ACK follows. */
    public void endDump(int error, FreeBsdNlRequest r) {
        add(r.pid(), r.seq(), Netlink.NLMSG_DONE, 0, 4);
        put32(reserve(4), error);
        end();
        suppressAck = true;
    }

    /**
     * {@code nlmsg_ack}: NLMSG_ERROR with {@code error} (0 acknowledges) and the request as the kernel
     * holds it (its pid stamped, flags as a handler left them).
     *
     * @param capAck the socket set NETLINK_CAP_ACK: an error echoes only the request's header
     */
    public void ack(long port, int error, FreeBsdNlRequest r, boolean capAck) {
        byte[] request = r.kernelCopy();
        boolean capped = error == 0 || capAck;
        int payload = 4 + Netlink.NLMSG_HDRLEN;
        if (!capped) {
            payload += request.length - Netlink.NLMSG_HDRLEN;
        }
        payload = Netlink.align(payload);
        add(port, r.seq(), Netlink.NLMSG_ERROR, capped ? Netlink.NLM_F_CAPPED : 0, payload);
        int at = reserve(payload);
        put32(at, error);
        System.arraycopy(request, 0, data, at + 4, capped ? Netlink.NLMSG_HDRLEN : request.length);
        end();
    }

    /** {@code nlmsg_flush}: the completed messages as one datagram; an unfinished one is dropped. */
    public void flush() {
        if (hdr >= 0) {
            offset = hdr;
            hdr = -1;
        }
        emit(offset);
        offset = 0;
        data = new byte[data.length];
    }

    /**
     * Datagrams a handler built whole (GETSTATES' dump, ended by NLMSG_DONE or its ACK): what this
     * writer holds is flushed first, then they follow in order, and no ACK is added after them.
     */
    void complete(List<byte[]> answer) {
        flush();
        datagrams.addAll(answer);
        suppressAck = true;
    }

    /** The datagrams flushed so far, in order; taking them empties the list. */
    List<byte[]> take() {
        List<byte[]> out = List.copyOf(datagrams);
        datagrams.clear();
        return out;
    }

    // ---- attributes

    /** {@code nlattr_add} up to the payload: header and zeroed padding; returns where the payload goes. */
    private int attrHeader(int type, int len) {
        int at = reserve(Netlink.NLA_HDRLEN + len);
        put16(at, Netlink.NLA_HDRLEN + len);
        put16(at + 2, type);
        int end = at + Netlink.align(Netlink.NLA_HDRLEN + len);
        if (len % 4 != 0) {
            Arrays.fill(data, end - 4, end, (byte) 0);
        }
        return at + Netlink.NLA_HDRLEN;
    }

    /** {@code nlattr_add}: header, payload, zeroed padding. */
    public void attr(int type, byte[] payload) {
        int at = attrHeader(type, payload.length);          // may move to a new buffer: read data after it
        System.arraycopy(payload, 0, data, at, payload.length);
    }

    public void u8(int type, int v) {
        int at = attrHeader(type, 1);
        data[at] = (byte) v;
    }

    /** {@code nlattr_add_bool}: one byte. */
    public void bool(int type, boolean v) {
        u8(type, v ? 1 : 0);
    }

    public void u16(int type, int v) {
        put16(attrHeader(type, 2), v);
    }

    public void u32(int type, long v) {
        put32(attrHeader(type, 4), v);
    }

    public void u64(int type, long v) {
        int at = attrHeader(type, 8);
        put32(at, v);
        put32(at + 4, v >>> 32);
    }

    /** {@code nlattr_add_time_t}: a 64-bit time_t (amd64, arm64). */
    public void timeT(int type, long v) {
        u64(type, v);
    }

    /** {@code nlattr_add_string}: the kernel bytes the text stands for, and a NUL. */
    public void string(int type, String s) {
        byte[] b = KernelStrings.encode(s);
        attr(type, Arrays.copyOf(b, b.length + 1));
    }

    /** {@code nlattr_add_nested}: returns the offset to give {@link #endNested}. */
    public int nested(int type) {
        int at = reserve(Netlink.NLA_HDRLEN);
        put16(at + 2, type);
        return at - hdr;
    }

    /** {@code nlattr_set_len}. */
    public void endNested(int off) {
        put16(hdr + off, offset - hdr - off);
    }

    /** {@code nlattr_add_u64_array}: a nested attribute holding one u64 of type 0 per element. */
    public void u64Array(int type, long... values) {
        int off = nested(type);
        for (long v : values) {
            u64(0, v);
        }
        endNested(off);
    }
}
