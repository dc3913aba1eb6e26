package org.pfmeter.pf.abi.netlink;

import java.util.HexFormat;

import org.pfmeter.pf.abi.KernelStrings;
import org.pfmeter.pf.abi.MalformedAnswerException;

/**
 * One netlink attribute ({@code struct nlattr} and its payload) inside a received buffer. The typed
 * getters insist on the exact payload width the kernel writes ({@code nlattr_add_u32} writes 4 bytes,
 * and so on), as FreeBSD's own parser does: a different width means the answer is not what the
 * header says, and decoding it anyway would read the wrong number.
 */
public final class NlAttr {

    private final byte[] buf;
    private final int offset;       // of the attribute header in buf
    private final int type;         // nla_type & NLA_TYPE_MASK
    private final int rawType;
    private final int payloadLength;
    private final String context;

    NlAttr(byte[] buf, int offset, int rawType, int payloadLength, String context) {
        this.buf = buf;
        this.offset = offset;
        this.rawType = rawType;
        this.type = rawType & Netlink.NLA_TYPE_MASK;
        this.payloadLength = payloadLength;
        this.context = context;
    }

    /** The attribute type without the NLA_F_NESTED / NLA_F_NET_BYTEORDER bits. */
    public int type() {
        return type;
    }

    /** Offset of the attribute header in the received buffer: error messages name it. */
    public int offset() {
        return offset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    private int payload() {
        return offset + Netlink.NLA_HDRLEN;
    }

    private boolean networkOrder() {
        return (rawType & Netlink.NLA_F_NET_BYTEORDER) != 0;
    }

    private void width(int expected, String what) {
        if (payloadLength != expected) {
            throw new MalformedAnswerException(context + ": attribute " + type + " at offset " + offset + " has "
                    + payloadLength + " byte(s) of payload, a " + what + " has " + expected);
        }
    }

    private long uint(int n) {
        long v = 0;
        int p = payload();
        for (int i = 0; i < n; i++) {
            int b = buf[networkOrder() ? p + i : p + n - 1 - i] & 0xff;
            v = (v << 8) | b;
        }
        return v;
    }

    public int u8() {
        width(1, "u8");
        return buf[payload()] & 0xff;
    }

    public int u16() {
        width(2, "u16");
        return (int) uint(2);
    }

    /** Unsigned 32 bits in a long. */
    public long u32() {
        width(4, "u32");
        return uint(4);
    }

    /** Unsigned 64 bits (compare with {@link Long#compareUnsigned}, print with {@link Long#toUnsignedString}). */
    public long u64() {
        width(8, "u64");
        return uint(8);
    }

    /** A bool as {@code nlattr_add_bool} writes it: one byte. */
    public boolean bool() {
        return u8() != 0;
    }

    /**
     * A NUL-terminated string ({@code nlattr_add_string} writes strlen + 1 bytes); bytes become text
     * by {@link KernelStrings}' rule.
     */
    public String string() {
        int p = payload();
        for (int i = 0; i < payloadLength; i++) {
            if (buf[p + i] == 0) {
                return KernelStrings.decode(buf, p, i);
            }
        }
        throw new MalformedAnswerException(context + ": string attribute " + type + " at offset " + offset
                + " has no NUL within its " + payloadLength + " byte(s)");
    }

    /** Exactly {@code n} bytes of payload (an in6_addr is 16, PF_GS_CHKSUM is 16). */
    public byte[] bytes(int n) {
        width(n, n + "-byte value");
        return bytes();
    }

    public byte[] bytes() {
        byte[] out = new byte[payloadLength];
        System.arraycopy(buf, payload(), out, 0, payloadLength);
        return out;
    }

    /** The payload as attributes. */
    public NlAttrs nested() {
        return NlAttrs.parse(buf, payload(), payloadLength, context + " > attribute " + type);
    }

    /**
     * An array as {@code nlattr_add_u64_array} writes it: a nested attribute holding one u64
     * attribute (type 0) per element. More than {@code max} elements is malformed.
     */
    public long[] u64Array(int max) {
        NlAttrs elements = nested();
        if (elements.size() > max) {
            throw new MalformedAnswerException(context + ": attribute " + type + " at offset " + offset + " holds "
                    + elements.size() + " elements, at most " + max + " expected");
        }
        long[] out = new long[elements.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = elements.get(i).u64();
        }
        return out;
    }

    @Override
    public String toString() {
        return "nlattr{type=" + type + ", len=" + payloadLength + ", payload="
                + HexFormat.of().formatHex(buf, payload(), payload() + Math.min(payloadLength, 32)) + "}";
    }
}
