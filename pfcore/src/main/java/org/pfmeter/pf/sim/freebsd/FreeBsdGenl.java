package org.pfmeter.pf.sim.freebsd;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.pfmeter.pf.abi.netlink.FreeBsdErrno;
import org.pfmeter.pf.abi.netlink.GenericNetlink;
import org.pfmeter.pf.abi.netlink.Netlink;

/**
 * The kernel's generic netlink side: the registered families (the controller "nlctrl" at id 16 and
 * pf's "pfctl"), how a received datagram is taken apart ({@code nl_process_mbuf},
 * {@code nl_receive_message}), dispatched ({@code genl_handle_message}: EOPNOTSUPP for an unknown
 * family or command, EPERM for a privileged command without the privilege, EINVAL for a message
 * shorter than its headers) and acknowledged, and the controller's CTRL_CMD_GETFAMILY
 * ({@code nlctrl_handle_getfamily}, {@code dump_family}). Not thread-safe: the simulator serialises.
 */
final class FreeBsdGenl {

    /** A registered family ({@code struct genl_family}); commands by number. */
    static final class Family {
        final String name;
        final int id;
        final int version;
        final int hdrsize;
        final int maxattr;
        final TreeMap<Integer, FreeBsdNlCommand> commands = new TreeMap<>();

        Family(String name, int id, int version, int hdrsize, int maxattr) {
            this.name = name;
            this.id = id;
            this.version = version;
            this.hdrsize = hdrsize;
            this.maxattr = maxattr;
        }
    }

    /** {@code CTRL_ATTR_MAX} of netlink_generic.h: the controller's maxattr. */
    static final int CTRL_ATTR_MAX = 10;

    private final Map<Integer, Family> families = new TreeMap<>();

    FreeBsdGenl() {
        Family ctrl = new Family("nlctrl", GenericNetlink.GENL_ID_CTRL, 2, 0, CTRL_ATTR_MAX);
        ctrl.commands.put(GenericNetlink.CTRL_CMD_GETFAMILY, new FreeBsdNlCommand(GenericNetlink.CTRL_CMD_GETFAMILY,
                "GETFAMILY", FreeBsdNlCommand.DO_READ, false, this::getFamily));
        families.put(ctrl.id, ctrl);
    }

    void register(Family f) {
        families.put(f.id, f);
    }

    void unregister(int id) {
        families.remove(id);
    }

    Family family(int id) {
        return families.get(id);
    }

    /** {@code nl_process_mbuf}: every message of one datagram, answered through one writer, flushed at the end. */
    List<byte[]> process(byte[] datagram, FreeBsdNlSocket socket) {
        FreeBsdNlWriter w = new FreeBsdNlWriter();
        int offset = 0;
        while (offset + Netlink.NLMSG_HDRLEN <= datagram.length) {
            int len = u32(datagram, offset);
            int msglen = Netlink.align(len);
            w.suppressAck = false;
            int error = receive(datagram, offset, datagram.length - offset, socket, w);
            offset += msglen;
            if (error != 0 || msglen <= 0) {
                break;
            }
        }
        w.flush();
        return w.take();
    }

    private static int u32(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    /** {@code nl_receive_message}. */
    private int receive(byte[] buf, int offset, int remaining, FreeBsdNlSocket socket, FreeBsdNlWriter w) {
        long len = u32(buf, offset) & 0xffff_ffffL;
        if (len > remaining || len < Netlink.NLMSG_HDRLEN) {
            return FreeBsdErrno.EINVAL;                   // the rest of the datagram is dropped, nothing acknowledged
        }
        // the message and its padding, as the kernel's zeroed copy of the datagram holds them
        byte[] msg = java.util.Arrays.copyOfRange(buf, offset, offset + Netlink.align((int) len));
        FreeBsdNlRequest r = new FreeBsdNlRequest(msg, socket.port());
        int error = 0;
        if ((r.flags() & Netlink.NLM_F_REQUEST) != 0 && r.type() >= Netlink.NLMSG_MIN_TYPE) {
            error = handle(r, socket, w);
        }
        if ((r.flags() & Netlink.NLM_F_ACK) != 0 || error != 0) {
            if (!w.suppressAck) {
                w.ack(socket.port(), error, r, socket.capAck());
            }
        }
        return 0;
    }

    /** {@code genl_handle_message}. */
    private int handle(FreeBsdNlRequest r, FreeBsdNlSocket socket, FreeBsdNlWriter w) {
        Family f = families.get(r.type());
        if (f == null) {
            return FreeBsdErrno.EOPNOTSUPP;
        }
        // the kernel compares with sizeof(hdr), a pointer's 8 bytes, plus GENL_HDRLEN
        if (r.length() < 8 + GenericNetlink.GENL_HDRLEN) {
            return FreeBsdErrno.EINVAL;
        }
        FreeBsdNlCommand c = f.commands.get(r.cmd());
        if (c == null) {
            return FreeBsdErrno.EOPNOTSUPP;
        }
        if (c.privileged() && !socket.privileged()) {
            return FreeBsdErrno.EPERM;
        }
        try {
            return c.handler().handle(r, w);
        } catch (FreeBsdNlRequest.Failure e) {
            w.abort();
            return e.errno();
        }
    }

    // ---- the controller

    private int getFamily(FreeBsdNlRequest r, FreeBsdNlWriter w) {
        int id = r.u16(GenericNetlink.CTRL_ATTR_FAMILY_ID, 0);
        String name = r.has(GenericNetlink.CTRL_ATTR_FAMILY_NAME) ? r.chara(GenericNetlink.CTRL_ATTR_FAMILY_NAME, 1 << 16) : null;
        if (id != 0 || name != null) {
            for (Family f : families.values()) {
                if (matches(f, id, name)) {
                    return dumpFamily(r, f, w);
                }
            }
            return FreeBsdErrno.ENOENT;
        }
        r.addFlags(Netlink.NLM_F_MULTI);
        int error = 0;
        for (Family f : families.values()) {
            error = dumpFamily(r, f, w);
            if (error != 0) {
                break;
            }
        }
        w.endDump(error, r);
        return error;
    }

    private static boolean matches(Family f, int id, String name) {
        return (id == 0 || id == f.id) && (name == null || name.equals(f.name));
    }

    /** {@code dump_family}: the family's description and its operations (the controller's mcast group is not simulated). */
    private static int dumpFamily(FreeBsdNlRequest r, Family f, FreeBsdNlWriter w) {
        w.reply(r, GenericNetlink.GENL_HDRLEN);
        w.genlHeader(GenericNetlink.CTRL_CMD_NEWFAMILY, f.version);
        w.string(GenericNetlink.CTRL_ATTR_FAMILY_NAME, f.name);
        w.u16(GenericNetlink.CTRL_ATTR_FAMILY_ID, f.id);
        w.u32(GenericNetlink.CTRL_ATTR_VERSION, f.version);
        w.u32(GenericNetlink.CTRL_ATTR_HDRSIZE, f.hdrsize);
        w.u32(GenericNetlink.CTRL_ATTR_MAXATTR, f.maxattr);
        if (!f.commands.isEmpty()) {
            int off = w.nested(GenericNetlink.CTRL_ATTR_OPS);
            int cnt = 0;
            for (FreeBsdNlCommand c : f.commands.values()) {
                int op = w.nested(++cnt);
                w.u32(GenericNetlink.CTRL_ATTR_OP_ID, c.cmd());
                w.u32(GenericNetlink.CTRL_ATTR_OP_FLAGS, c.opFlags());
                w.endNested(op);
            }
            w.endNested(off);
        }
        w.end();
        return 0;
    }
}
