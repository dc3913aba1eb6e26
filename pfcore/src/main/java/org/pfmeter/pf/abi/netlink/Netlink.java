package org.pfmeter.pf.abi.netlink;

import java.nio.ByteOrder;

/**
 * The numbers of FreeBSD's {@code sys/netlink/netlink.h} that pfmeter uses (RFC 3549 framing; the
 * same values as Linux). Field names are the C names. Every value is pinned in {@code NetlinkNumbersTest}.
 */
public final class Netlink {

    /** Netlink carries host byte order; FreeBSD/amd64 and arm64 are little-endian. */
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    public static final int NETLINK_GENERIC = 16;

    /** {@code struct nlmsghdr}: u32 nlmsg_len, u16 nlmsg_type, u16 nlmsg_flags, u32 nlmsg_seq, u32 nlmsg_pid. */
    public static final int NLMSG_HDRLEN = 16;
    /** {@code NL_ITEM_ALIGN_SIZE}: messages and attributes start on 4-byte boundaries. */
    public static final int NLMSG_ALIGNTO = 4;
    public static final int NLA_ALIGNTO = 4;
    /** {@code struct nlattr}: u16 nla_len (header included, padding not), u16 nla_type. */
    public static final int NLA_HDRLEN = 4;

    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    /** On an NLMSG_ERROR: only the request's header is echoed, not its payload. */
    public static final int NLM_F_CAPPED = 0x100;
    /** On an NLMSG_ERROR: extended-ack attributes follow the echoed request. */
    public static final int NLM_F_ACK_TLVS = 0x200;

    public static final int NLMSG_NOOP = 0x1;
    public static final int NLMSG_ERROR = 0x2;
    public static final int NLMSG_DONE = 0x3;
    public static final int NLMSG_OVERRUN = 0x4;
    /** Types below are control messages; generic netlink family ids start here. */
    public static final int NLMSG_MIN_TYPE = 0x10;

    /** {@code enum nlmsgerr_attrs}: extended-ack attributes after the echoed request. */
    public static final int NLMSGERR_ATTR_MSG = 1;
    public static final int NLMSGERR_ATTR_OFFS = 2;

    public static final int NLA_F_NESTED = 1 << 15;
    public static final int NLA_F_NET_BYTEORDER = 1 << 14;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    private Netlink() {
    }

    /** {@code NL_ITEM_ALIGN}: rounds a length up to the next multiple of 4. */
    public static int align(int len) {
        return (len + NLA_ALIGNTO - 1) & ~(NLA_ALIGNTO - 1);
    }
}
