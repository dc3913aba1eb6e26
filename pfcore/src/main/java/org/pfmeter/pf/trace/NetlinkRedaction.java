package org.pfmeter.pf.trace;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.pfmeter.pf.abi.netlink.GenericNetlink;
import org.pfmeter.pf.abi.netlink.Netlink;
import org.pfmeter.pf.abi.netlink.PfNl;

/**
 * What {@code --redact} does to the datagrams FreeBSD's kernel sends over netlink, as {@link Redactor}
 * does to ioctl buffers (sharing its placeholders, so one name gets one placeholder): a rule
 * (PFNL_CMD_GETRULE) keeps only the attributes pfmeter reads, so its addresses, pools, tag, queue and
 * table names are dropped, and its labels become {@code label-1}, …; a table (PFNL_CMD_GET_TSTATS) is
 * named {@code table-1}, …; a source node's addresses (PFNL_CMD_GET_SRCNODES) become stable
 * placeholders. Counters, anchors and interface names stay. Attribute and message lengths are
 * written again, so the result decodes as the kernel's answer would.
 */
final class NetlinkRedaction {

    /** The attributes of a rule pfmeter reads (pfcore/README.md, "Rule reply"), and its interface. */
    private static final Set<Integer> RULE_KEPT = Set.of(PfNl.Rule.PF_RT_RIDENTIFIER, PfNl.Rule.PF_RT_LABELS,
            PfNl.Rule.PF_RT_IFNAME, PfNl.Rule.PF_RT_NR, PfNl.Rule.PF_RT_ACTION, PfNl.Rule.PF_RT_DIRECTION,
            PfNl.Rule.PF_RT_QUICK, PfNl.Rule.PF_RT_AF, PfNl.Rule.PF_RT_PROTO, PfNl.Rule.PF_RT_PACKETS_IN,
            PfNl.Rule.PF_RT_PACKETS_OUT, PfNl.Rule.PF_RT_BYTES_IN, PfNl.Rule.PF_RT_BYTES_OUT, PfNl.Rule.PF_RT_EVALUATIONS,
            PfNl.Rule.PF_RT_TIMESTAMP, PfNl.Rule.PF_RT_STATES_CUR, PfNl.Rule.PF_RT_STATES_TOTAL, PfNl.Rule.PF_RT_SRC_NODES,
            PfNl.Rule.PF_RT_ANCHOR_CALL, PfNl.Rule.PF_RT_SRC_NODES_LIMIT, PfNl.Rule.PF_RT_SRC_NODES_NAT,
            PfNl.Rule.PF_RT_SRC_NODES_ROUTE);

    private static final int AF_INET = 2;
    private static final int NLA_TYPE_MASK = 0x3fff;

    private final Redactor names;

    NetlinkRedaction(Redactor names) {
        this.names = names;
    }

    /** The datagram with every pf message redacted; control messages (errors, DONE, the family) as they are. */
    byte[] datagram(byte[] d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(d.length);
        int p = 0;
        while (p + Netlink.NLMSG_HDRLEN <= d.length) {
            int len = (int) u32(d, p);
            if (len < Netlink.NLMSG_HDRLEN || p + len > d.length) {
                out.write(d, p, d.length - p);            // not netlink: left for replay to refuse
                return out.toByteArray();
            }
            int type = u16(d, p + 4);
            int hdr = Netlink.NLMSG_HDRLEN + GenericNetlink.GENL_HDRLEN;
            boolean pf = type > GenericNetlink.GENL_ID_CTRL && type <= GenericNetlink.GENL_MAX_ID && len >= hdr;
            byte[] m = java.util.Arrays.copyOfRange(d, p, p + len);
            if (pf) {
                int cmd = d[p + Netlink.NLMSG_HDRLEN] & 0xff;
                byte[] attrs = java.util.Arrays.copyOfRange(d, p + hdr, p + len);
                byte[] red = switch (cmd) {
                    case PfNl.Cmd.PFNL_CMD_GETRULE -> rule(attrs);
                    case PfNl.Cmd.PFNL_CMD_GET_TSTATS -> table(attrs);
                    case PfNl.Cmd.PFNL_CMD_GET_SRCNODES -> sourceNode(attrs);
                    default -> attrs;
                };
                m = new byte[hdr + red.length];
                System.arraycopy(d, p, m, 0, hdr);
                System.arraycopy(red, 0, m, hdr, red.length);
                putU32(m, 0, m.length);
            }
            out.write(m, 0, m.length);
            int next = p + Netlink.align(len);
            for (int i = p + len; i < next && i < d.length; i++) {
                out.write(0);
            }
            p = next;
        }
        if (p < d.length) {
            out.write(d, p, d.length - p);
        }
        return out.toByteArray();
    }

    private byte[] rule(byte[] attrs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(attrs.length);
        walk(attrs, (rawType, payload) -> {
            int type = rawType & NLA_TYPE_MASK;
            if (!RULE_KEPT.contains(type)) {
                return;
            }
            if (type == PfNl.Rule.PF_RT_LABELS) {
                ByteArrayOutputStream labels = new ByteArrayOutputStream();
                walk(payload, (t, l) -> attr(labels, t, cString(names.label(string(l)))));
                attr(out, rawType, labels.toByteArray());
            } else {
                attr(out, rawType, payload);
            }
        });
        return out.toByteArray();
    }

    private byte[] table(byte[] attrs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(attrs.length);
        walk(attrs, (rawType, payload) -> {
            if ((rawType & NLA_TYPE_MASK) != PfNl.Tstats.PF_TS_TABLE) {
                attr(out, rawType, payload);
                return;
            }
            ByteArrayOutputStream t = new ByteArrayOutputStream();
            walk(payload, (tt, v) -> attr(t, tt, (tt & NLA_TYPE_MASK) == PfNl.Tables.PF_T_NAME
                    ? cString(names.table(string(v))) : v));
            attr(out, rawType, t.toByteArray());
        });
        return out.toByteArray();
    }

    private byte[] sourceNode(byte[] attrs) {
        int[] af = {0};
        walk(attrs, (t, v) -> {
            if ((t & NLA_TYPE_MASK) == PfNl.SrcNodes.PF_SN_AF && v.length == 1) {
                af[0] = v[0] & 0xff;
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream(attrs.length);
        walk(attrs, (rawType, payload) -> {
            int type = rawType & NLA_TYPE_MASK;
            if ((type == PfNl.SrcNodes.PF_SN_ADDR || type == PfNl.SrcNodes.PF_SN_RADDR) && payload.length == 16
                    && !allZero(payload)) {
                byte[] a = new byte[16];
                if (af[0] == AF_INET) {
                    System.arraycopy(names.address(java.util.Arrays.copyOf(payload, 4)), 0, a, 0, 4);
                } else {
                    a = names.address(payload).clone();
                }
                attr(out, rawType, a);
            } else {
                attr(out, rawType, payload);
            }
        });
        return out.toByteArray();
    }

    @FunctionalInterface
    private interface Visitor {
        void visit(int rawType, byte[] payload);
    }

    /** Each attribute of {@code b} in order; a malformed tail is kept as it is for replay to refuse. */
    private static void walk(byte[] b, Visitor v) {
        int p = 0;
        while (p + Netlink.NLA_HDRLEN <= b.length) {
            int len = u16(b, p);
            if (len < Netlink.NLA_HDRLEN || p + len > b.length) {
                return;
            }
            v.visit(u16(b, p + 2), java.util.Arrays.copyOfRange(b, p + Netlink.NLA_HDRLEN, p + len));
            p += Netlink.align(len);
        }
    }

    private static void attr(ByteArrayOutputStream out, int rawType, byte[] payload) {
        int len = Netlink.NLA_HDRLEN + payload.length;
        out.write(len & 0xff);
        out.write(len >> 8 & 0xff);
        out.write(rawType & 0xff);
        out.write(rawType >> 8 & 0xff);
        out.write(payload, 0, payload.length);
        for (int i = len; i < Netlink.align(len); i++) {
            out.write(0);
        }
    }

    private static String string(byte[] payload) {
        int n = 0;
        while (n < payload.length && payload[n] != 0) {
            n++;
        }
        return new String(payload, 0, n, StandardCharsets.UTF_8);
    }

    private static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(b, b.length + 1);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    static long u32(byte[] b, int off) {
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24;
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    static void putU32(byte[] b, int off, long v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >> (8 * i));
        }
    }
}
