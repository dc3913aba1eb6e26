package org.pfmeter.pf.abi.netlink;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.pfmeter.pf.abi.MalformedAnswerException;

/**
 * The attributes of one message or one nested attribute, in the order the kernel wrote them.
 * Repeated attributes are all kept (a status reply carries one PF_GS_COUNTERS per counter, a label
 * list one PF_LT_LABEL per label); attributes a decoder does not ask for are simply never looked at,
 * so a newer kernel's additions do no harm.
 *
 * <p>Framing is checked while parsing, against {@code struct nlattr} and {@code NL_ITEM_ALIGN}: every
 * attribute needs its 4-byte header, {@code nla_len} counts the header and the payload but not the
 * padding, must be at least 4 and must fit in what is left; the next attribute starts at
 * {@code nla_len} rounded up to 4, and the padding must lie within the region and be zero (the kernel
 * writes into zeroed buffers). Anything else is a {@link MalformedAnswerException} naming the offset.
 */
public final class NlAttrs {

    private final List<NlAttr> attrs;
    private final String context;

    private NlAttrs(List<NlAttr> attrs, String context) {
        this.attrs = List.copyOf(attrs);
        this.context = context;
    }

    /**
     * Parses {@code len} bytes at {@code off} of {@code buf} as consecutive attributes.
     *
     * @param context what the bytes are, for error messages, e.g. "PFNL_CMD_GET_STATUS reply"
     */
    public static NlAttrs parse(byte[] buf, int off, int len, String context) {
        List<NlAttr> out = new ArrayList<>();
        int p = off;
        int end = off + len;
        while (p < end) {
            int left = end - p;
            if (left < Netlink.NLA_HDRLEN) {
                throw new MalformedAnswerException(context + ": " + left + " byte(s) left at offset " + p
                        + ", fewer than an attribute header (" + Netlink.NLA_HDRLEN + ")");
            }
            int nlaLen = u16(buf, p);
            int rawType = u16(buf, p + 2);
            int type = rawType & Netlink.NLA_TYPE_MASK;
            if (nlaLen < Netlink.NLA_HDRLEN) {
                throw new MalformedAnswerException(context + ": attribute " + type + " at offset " + p
                        + " has nla_len " + nlaLen + ", less than its own header (" + Netlink.NLA_HDRLEN + ")");
            }
            if (nlaLen > left) {
                throw new MalformedAnswerException(context + ": attribute " + type + " at offset " + p
                        + " has nla_len " + nlaLen + ", beyond the " + left + " byte(s) left");
            }
            int next = p + Netlink.align(nlaLen);
            if (next > end) {
                throw new MalformedAnswerException(context + ": attribute " + type + " at offset " + p
                        + " (nla_len " + nlaLen + ") is not padded to 4 bytes within the " + left
                        + " byte(s) left");
            }
            for (int i = p + nlaLen; i < next; i++) {
                if (buf[i] != 0) {
                    throw new MalformedAnswerException(context + ": padding byte at offset " + i
                            + " after attribute " + type + " is 0x" + Integer.toHexString(buf[i] & 0xff)
                            + ", not zero");
                }
            }
            out.add(new NlAttr(buf, p, rawType, nlaLen - Netlink.NLA_HDRLEN, context));
            p = next;
        }
        return new NlAttrs(out, context);
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    public int size() {
        return attrs.size();
    }

    public NlAttr get(int index) {
        return attrs.get(index);
    }

    /** Every attribute, in wire order. */
    public List<NlAttr> all() {
        return attrs;
    }

    /** Every attribute of one type, in wire order. */
    public List<NlAttr> all(int type) {
        List<NlAttr> out = new ArrayList<>();
        for (NlAttr a : attrs) {
            if (a.type() == type) {
                out.add(a);
            }
        }
        return out;
    }

    /** The first attribute of a type (the kernel writes scalars once). */
    public Optional<NlAttr> first(int type) {
        for (NlAttr a : attrs) {
            if (a.type() == type) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The first attribute of a type, or a malformed answer naming {@code name}. */
    public NlAttr required(int type, String name) {
        return first(type).orElseThrow(() -> new MalformedAnswerException(
                context + ": no " + name + " attribute (type " + type + ")"));
    }

    public String context() {
        return context;
    }
}
