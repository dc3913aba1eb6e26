package org.pfmeter.pf.trace;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.pfmeter.pf.abi.netlink.GenericNetlink;
import org.pfmeter.pf.abi.netlink.Netlink;
import org.pfmeter.pf.abi.netlink.PfNl;

/**
 * The netlink lines of a trace (FreeBSD's pf; same file layout and version as {@link TraceFormat}):
 *
 * <pre>
 * {"pfmeter_trace":1,"kernel_release":"15.0-RELEASE","machine":"amd64","abi":"freebsd-15.0","taken_at":"…","redacted":false,"device":"netlink (pfctl family)"}
 * {"poll":1,"at":"2026-12-03T10:00:00Z"}
 * {"seq":1,"netlink":"CTRL_CMD_GETFAMILY","nlmsg_type":16,"cmd":3,"request":"2400…"}
 * {"reply":1,"datagram":"…"}
 * {"seq":2,"netlink":"PFNL_CMD_GET_STATUS","nlmsg_type":23,"cmd":11,"request":"…"}
 * {"reply":2,"datagram":"…"}
 * </pre>
 *
 * A request is the whole message sent; each datagram received for it follows on a {@code reply}
 * line ({@code "error"} instead of {@code "datagram"} when receiving failed). Replay answers a request
 * with the next unused exchange of the poll whose request is the same but for {@code nlmsg_seq} and
 * {@code nlmsg_pid}, rewriting the sequence number in the datagrams to the caller's.
 */
final class NetlinkTraceFormat {

    private static final Map<Integer, String> PF_COMMANDS = pfCommands();

    private NetlinkTraceFormat() {
    }

    /** The request's command by its C name: "CTRL_CMD_GETFAMILY", "PFNL_CMD_GETRULE". */
    static String name(byte[] request) {
        if (request.length < Netlink.NLMSG_HDRLEN + 1) {
            return "";
        }
        int type = NetlinkRedaction.u16(request, 4);
        int cmd = request[Netlink.NLMSG_HDRLEN] & 0xff;
        if (type == GenericNetlink.GENL_ID_CTRL) {
            return cmd == GenericNetlink.CTRL_CMD_GETFAMILY ? "CTRL_CMD_GETFAMILY" : "CTRL_CMD " + cmd;
        }
        return PF_COMMANDS.getOrDefault(cmd, "PFNL_CMD " + cmd);
    }

    /** What a request must equal to be answered by a recorded one: its bytes without nlmsg_seq and nlmsg_pid. */
    static String key(byte[] request) {
        byte[] k = request.clone();
        for (int i = 8; i < 16 && i < k.length; i++) {
            k[i] = 0;
        }
        return HexFormat.of().formatHex(k);
    }

    /** The request's nlmsg_seq. */
    static long seq(byte[] request) {
        return request.length >= 12 ? NetlinkRedaction.u32(request, 8) : -1;
    }

    /**
     * {@code datagram} with the sequence number {@code from} replaced by {@code to} in every message's
     * header and in the request header an NLMSG_ERROR echoes.
     */
    static byte[] reseq(byte[] datagram, long from, long to) {
        byte[] d = datagram.clone();
        int p = 0;
        while (p + Netlink.NLMSG_HDRLEN <= d.length) {
            int len = (int) NetlinkRedaction.u32(d, p);
            if (len < Netlink.NLMSG_HDRLEN || p + len > d.length) {
                break;
            }
            if (NetlinkRedaction.u32(d, p + 8) == from) {
                NetlinkRedaction.putU32(d, p + 8, to);
            }
            int echoed = p + Netlink.NLMSG_HDRLEN + 4 + 8;          // struct nlmsgerr: int error, then the header
            if (NetlinkRedaction.u16(d, p + 4) == Netlink.NLMSG_ERROR && echoed + 4 <= p + len
                    && NetlinkRedaction.u32(d, echoed) == from) {
                NetlinkRedaction.putU32(d, echoed, to);
            }
            p += Netlink.align(len);
        }
        return d;
    }

    /** True for pf's PFNL_CMD_GET_STATUS, with which every poll starts. */
    static boolean isStatus(int nlmsgType, int cmd) {
        return nlmsgType != GenericNetlink.GENL_ID_CTRL && cmd == PfNl.Cmd.PFNL_CMD_GET_STATUS;
    }

    static boolean isFamily(int nlmsgType) {
        return nlmsgType == GenericNetlink.GENL_ID_CTRL;
    }

    private static Map<Integer, String> pfCommands() {
        Map<Integer, String> m = new HashMap<>();
        for (Field f : PfNl.Cmd.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                try {
                    m.putIfAbsent(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Map.copyOf(m);
    }
}
