package org.pfmeter.pf.abi.netlink;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.pfmeter.pf.abi.MalformedAnswerException;

/**
 * The attributes of one message (or one nested attribute) indexed by type, without allocating: for
 * the hot loop of a dump with a million messages (PFNL_CMD_GETSTATES), where {@link NlAttrs}' list of
 * objects per message would be most of the cost. The checks are {@link NlAttrs#parse}'s (header
 * length, bounds, 4-byte padding that is zero) and the getters' widths are {@link NlAttr}'s; the
 * first attribute of a type is the one indexed (later repeats are checked, then skipped), types
 * above the index's size are checked and skipped. Reused: {@link #index} forgets the last message.
 * Not thread-safe.
 */
public final class NlAttrIndex {

    private final int[] at;        // payload offset per type, -1 when absent
    private final int[] len;       // payload length per type
    private final int[] raw;       // raw nla_type per type (for NLA_F_NET_BYTEORDER)
    private final String context;
    private byte[] buf;

    /** @param types indexes types 0 … types - 1 */
    public NlAttrIndex(int types, String context) {
        this.at = new int[types];
        this.len = new int[types];
        this.raw = new int[types];
        this.context = context;
        Arrays.fill(at, -1);
    }

    /** Indexes the attributes in {@code buf[off, off + length)}. */
    NlAttrIndex index(byte[] b, int off, int length) {
        Arrays.fill(at, -1);
        buf = b;
        int p = off;
        int end = off + length;
        while (p < end) {
            int left = end - p;
            if (left < Netlink.NLA_HDRLEN) {
                throw new MalformedAnswerException(context + ": " + left + " byte(s) left at offset " + p
                        + ", fewer than an attribute header (" + Netlink.NLA_HDRLEN + ")");
            }
            int nlaLen = (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
            int rawType = (b[p + 2] & 0xff) | (b[p + 3] & 0xff) << 8;
            int type = rawType & Netlink.NLA_TYPE_MASK;
            if (nlaLen < Netlink.NLA_HDRLEN || nlaLen > left) {
                throw new MalformedAnswerException(context + ": attribute " + type + " at offset " + p
                        + " has nla_len " + nlaLen + ", outside " + Netlink.NLA_HDRLEN + " to the " + left
                        + " byte(s) left");
            }
            int next = p + Netlink.align(nlaLen);
            if (next > end) {
                throw new MalformedAnswerException(context + ": attribute " + type + " at offset " + p
                        + " (nla_len " + nlaLen + ") is not padded to 4 bytes within the " + left + " byte(s) left");
            }
            for (int i = p + nlaLen; i < next; i++) {
                if (b[i] != 0) {
                    throw new MalformedAnswerException(context + ": padding byte at offset " + i + " after attribute "
                            + type + " is 0x" + Integer.toHexString(b[i] & 0xff) + ", not zero");
                }
            }
            if (type < at.length && at[type] < 0) {
                at[type] = p + Netlink.NLA_HDRLEN;
                len[type] = nlaLen - Netlink.NLA_HDRLEN;
                raw[type] = rawType;
            }
            p = next;
        }
        return this;
    }

    public boolean has(int type) {
        return at[type] >= 0;
    }

    private int payload(int type, int width, String name, String what) {
        if (at[type] < 0) {
            throw new MalformedAnswerException(context + ": no " + name + " attribute (type " + type + ")");
        }
        if (width >= 0 && len[type] != width) {
            throw new MalformedAnswerException(context + ": attribute " + name + " (" + type + ") at offset "
                    + (at[type] - Netlink.NLA_HDRLEN) + " has " + len[type] + " byte(s) of payload, a " + what
                    + " has " + width);
        }
        return at[type];
    }

    private long uint(int type, int n) {
        int p = at[type];
        boolean network = (raw[type] & Netlink.NLA_F_NET_BYTEORDER) != 0;
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (buf[network ? p + i : p + n - 1 - i] & 0xff);
        }
        return v;
    }

    public int u8(int type, String name) {
        return buf[payload(type, 1, name, "u8")] & 0xff;
    }

    public int u16(int type, String name) {
        payload(type, 2, name, "u16");
        return (int) uint(type, 2);
    }

    public long u32(int type, String name) {
        payload(type, 4, name, "u32");
        return uint(type, 4);
    }

    public long u64(int type, String name) {
        payload(type, 8, name, "u64");
        return uint(type, 8);
    }

    /** The payload's length. */
    public int length(int type, String name) {
        payload(type, -1, name, "");
        return len[type];
    }

    /** The payload copied as it is into {@code out} at {@code off} (exactly {@code n} bytes). */
    public void copy(int type, String name, int n, ByteBuffer out, int off) {
        int p = payload(type, n, name, n + "-byte value");
        out.put(off, buf, p, n);
    }

    /** The bytes of a NUL-terminated string (without the NUL) into {@code out} at {@code off}, at most {@code max}. */
    public int copyString(int type, String name, int max, ByteBuffer out, int off) {
        int p = payload(type, -1, name, "");
        for (int i = 0; i < len[type]; i++) {
            if (buf[p + i] == 0) {
                if (i > max) {
                    throw new MalformedAnswerException(context + ": string " + name + " of " + i
                            + " bytes is longer than " + max);
                }
                out.put(off, buf, p, i);
                return i;
            }
        }
        throw new MalformedAnswerException(context + ": string attribute " + name + " (" + type + ") has no NUL within its "
                + len[type] + " byte(s)");
    }

    /** Indexes a nested attribute's members into {@code into}. */
    public NlAttrIndex nested(int type, String name, NlAttrIndex into) {
        int p = payload(type, -1, name, "");
        return into.index(buf, p, len[type]);
    }
}
