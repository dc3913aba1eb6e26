package org.pfmeter.pf.abi.netlink;

import java.util.ArrayList;
import java.util.List;

import org.pfmeter.pf.abi.MalformedAnswerException;

/**
 * One netlink message ({@code struct nlmsghdr} and its payload) within a received datagram. A
 * datagram may hold several messages, each starting on a 4-byte boundary; {@link #parseAll} splits
 * it and checks the framing: a full 16-byte header, {@code nlmsg_len} at least the header and within
 * what was received, and the padding to the next message inside the datagram.
 */
public final class NetlinkMessage {

    private final byte[] buf;
    private final int offset;
    private final int length;

    private NetlinkMessage(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.offset = offset;
        this.length = length;
    }

    /** Splits the first {@code received} bytes of {@code buf} into messages. */
    public static List<NetlinkMessage> parseAll(byte[] buf, int received) {
        if (received < 0 || received > buf.length) {
            throw new IllegalArgumentException("received " + received + " of a " + buf.length + "-byte buffer");
        }
        List<NetlinkMessage> out = new ArrayList<>();
        int p = 0;
        while (p < received) {
            int left = received - p;
            if (left < Netlink.NLMSG_HDRLEN) {
                throw new MalformedAnswerException("netlink: " + left + " byte(s) at offset " + p
                        + ", a short message header (struct nlmsghdr has " + Netlink.NLMSG_HDRLEN + ")");
            }
            long len = u32(buf, p);
            if (len < Netlink.NLMSG_HDRLEN) {
                throw new MalformedAnswerException("netlink: message at offset " + p + " has nlmsg_len " + len
                        + ", less than its own header (" + Netlink.NLMSG_HDRLEN + ")");
            }
            if (len > left) {
                throw new MalformedAnswerException("netlink: message at offset " + p + " has nlmsg_len " + len
                        + ", beyond the " + left + " byte(s) received");
            }
            int next = p + Netlink.align((int) len);
            if (next > received) {
                throw new MalformedAnswerException("netlink: message at offset " + p + " (nlmsg_len " + len
                        + ") is not padded to 4 bytes within the " + left + " byte(s) received");
            }
            out.add(new NetlinkMessage(buf, p, (int) len));
            p = next;
        }
        return out;
    }

    public static List<NetlinkMessage> parseAll(byte[] datagram) {
        return parseAll(datagram, datagram.length);
    }

    static long u32(byte[] b, int off) {
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24;
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    /** Offset of this message in the datagram. */
    public int offset() {
        return offset;
    }

    /** {@code nlmsg_len}: header and payload. */
    public int length() {
        return length;
    }

    /** {@code nlmsg_type}: NLMSG_ERROR, NLMSG_DONE, or a generic netlink family id. */
    public int type() {
        return u16(buf, offset + 4);
    }

    public int flags() {
        return u16(buf, offset + 6);
    }

    public long seq() {
        return u32(buf, offset + 8);
    }

    public long pid() {
        return u32(buf, offset + 12);
    }

    public int payloadLength() {
        return length - Netlink.NLMSG_HDRLEN;
    }

    private int payload() {
        return offset + Netlink.NLMSG_HDRLEN;
    }

    public boolean isError() {
        return type() == Netlink.NLMSG_ERROR;
    }

    public boolean isDone() {
        return type() == Netlink.NLMSG_DONE;
    }

    /**
     * The errno of an NLMSG_ERROR ({@code struct nlmsgerr}: int error, then the request's header);
     * 0 is an acknowledgement. FreeBSD's own netlink writes the errno as it is (positive), Linux and
     * FreeBSD's Linux emulation write it negated: both read as the positive errno.
     */
    public int errno() {
        if (!isError()) {
            throw new IllegalStateException("message type " + type() + " is not NLMSG_ERROR");
        }
        if (payloadLength() < 4 + Netlink.NLMSG_HDRLEN) {
            throw new MalformedAnswerException("netlink: NLMSG_ERROR at offset " + offset + " has " + payloadLength()
                    + " byte(s) of payload, struct nlmsgerr needs " + (4 + Netlink.NLMSG_HDRLEN));
        }
        int error = (int) u32(buf, payload());
        return Math.abs(error);
    }

    /** The sequence number of the request an NLMSG_ERROR answers (from the echoed header). */
    public long erroredSeq() {
        errno();
        return u32(buf, payload() + 4 + 8);
    }

    /**
     * The result FreeBSD records in an NLMSG_DONE ({@code nlmsg_end_dump}: one int); 0 when the
     * message carries none.
     */
    public int doneErrno() {
        if (!isDone()) {
            throw new IllegalStateException("message type " + type() + " is not NLMSG_DONE");
        }
        if (payloadLength() < 4) {
            return 0;
        }
        return Math.abs((int) u32(buf, payload()));
    }

    /** {@code genlmsghdr.cmd} of a generic netlink message. */
    public int genlCmd() {
        genl();
        return buf[payload()] & 0xff;
    }

    /** {@code genlmsghdr.version}. */
    public int genlVersion() {
        genl();
        return buf[payload() + 1] & 0xff;
    }

    private void genl() {
        if (type() < Netlink.NLMSG_MIN_TYPE) {
            throw new IllegalStateException("message type " + type() + " is a control message, not generic netlink");
        }
        if (payloadLength() < GenericNetlink.GENL_HDRLEN) {
            throw new MalformedAnswerException("netlink: message at offset " + offset + " has " + payloadLength()
                    + " byte(s) of payload, fewer than struct genlmsghdr (" + GenericNetlink.GENL_HDRLEN + ")");
        }
    }

    /** The attributes after the generic netlink header. */
    public NlAttrs attributes(String context) {
        genl();
        int start = payload() + GenericNetlink.GENL_HDRLEN;
        return NlAttrs.parse(buf, start, offset + length - start, context);
    }

    /** The attributes after the generic netlink header, indexed into {@code into} without allocating. */
    public NlAttrIndex attributes(NlAttrIndex into) {
        genl();
        int start = payload() + GenericNetlink.GENL_HDRLEN;
        return into.index(buf, start, offset + length - start);
    }

    @Override
    public String toString() {
        return "nlmsg{len=" + length + ", type=" + type() + ", flags=0x" + Integer.toHexString(flags())
                + ", seq=" + seq() + "}";
    }
}
