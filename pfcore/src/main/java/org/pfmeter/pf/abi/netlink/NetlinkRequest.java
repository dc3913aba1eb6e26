package org.pfmeter.pf.abi.netlink;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

import org.pfmeter.pf.abi.KernelStrings;

/**
 * Writes one generic netlink request the way FreeBSD's libpfctl (through {@code snl}) does: a
 * {@code struct nlmsghdr}, a {@code struct genlmsghdr}, then attributes, each padded with zeros to
 * 4 bytes; strings carry their NUL; a nested attribute's {@code nla_len} covers everything inside it.
 * {@code nlmsg_pid} is 0 (the kernel fills in the socket's port).
 */
public final class NetlinkRequest {

    private byte[] buf = new byte[256];
    private int len;
    private final Deque<Integer> open = new ArrayDeque<>();

    private NetlinkRequest() {
    }

    /**
     * A request to a generic netlink family.
     *
     * @param flags e.g. {@code NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP}, as libpfctl sends its reads
     */
    public static NetlinkRequest genl(int familyId, int cmd, int version, int flags, long seq) {
        NetlinkRequest r = new NetlinkRequest();
        r.reserve(Netlink.NLMSG_HDRLEN + GenericNetlink.GENL_HDRLEN);
        r.putU16At(4, familyId);
        r.putU16At(6, flags);
        r.putU32At(8, seq);
        r.buf[Netlink.NLMSG_HDRLEN] = (byte) cmd;
        r.buf[Netlink.NLMSG_HDRLEN + 1] = (byte) version;
        return r;
    }

    private int reserve(int n) {
        int at = len;
        int need = len + Netlink.align(n);
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
        }
        len = need;
        return at;
    }

    private void putU16At(int off, int v) {
        buf[off] = (byte) v;
        buf[off + 1] = (byte) (v >>> 8);
    }

    private void putU32At(int off, long v) {
        for (int i = 0; i < 4; i++) {
            buf[off + i] = (byte) (v >>> (8 * i));
        }
    }

    private int header(int type, int payload) {
        int at = reserve(Netlink.NLA_HDRLEN + payload);
        putU16At(at, Netlink.NLA_HDRLEN + payload);
        putU16At(at + 2, type);
        return at + Netlink.NLA_HDRLEN;
    }

    public NetlinkRequest putU8(int type, int v) {
        buf[header(type, 1)] = (byte) v;
        return this;
    }

    public NetlinkRequest putU16(int type, int v) {
        putU16At(header(type, 2), v);
        return this;
    }

    public NetlinkRequest putU32(int type, long v) {
        putU32At(header(type, 4), v);
        return this;
    }

    public NetlinkRequest putU64(int type, long v) {
        int at = header(type, 8);
        for (int i = 0; i < 8; i++) {
            buf[at + i] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /** The kernel bytes {@code s} stands for ({@link KernelStrings#encode}) and a NUL. */
    public NetlinkRequest putString(int type, String s) {
        byte[] b = KernelStrings.encode(s);
        int at = header(type, b.length + 1);
        System.arraycopy(b, 0, buf, at, b.length);
        return this;
    }

    public NetlinkRequest putBytes(int type, byte[] b) {
        System.arraycopy(b, 0, buf, header(type, b.length), b.length);
        return this;
    }

    /** Opens a nested attribute; attributes until {@link #endNested} go inside it. */
    public NetlinkRequest beginNested(int type) {
        open.push(header(type, 0) - Netlink.NLA_HDRLEN);
        return this;
    }

    public NetlinkRequest endNested() {
        int at = open.pop();
        putU16At(at, len - at);
        return this;
    }

    /** The finished message, {@code nlmsg_len} set. */
    public byte[] toBytes() {
        if (!open.isEmpty()) {
            throw new IllegalStateException(open.size() + " nested attribute(s) not ended");
        }
        putU32At(0, len);
        return Arrays.copyOf(buf, len);
    }
}
