package org.pfmeter.pf.abi.netlink;

/**
 * The numbers of FreeBSD's {@code sys/netlink/netlink_generic.h}: the 4-byte {@code struct genlmsghdr}
 * after every generic netlink message header, and the controller family ({@code "nlctrl"}, id 16)
 * that resolves a family name to its id and lists the commands the running kernel has. Field names
 * are the C names; pinned in {@code NetlinkNumbersTest}.
 */
public final class GenericNetlink {

    /** {@code struct genlmsghdr}: u8 cmd, u8 version, u16 reserved. */
    public static final int GENL_HDRLEN = 4;

    /** {@code GENL_MIN_ID} = NLMSG_MIN_TYPE: the controller's own family id. */
    public static final int GENL_ID_CTRL = 16;
    public static final int GENL_MIN_ID = 16;
    public static final int GENL_MAX_ID = 1023;
    public static final int GENL_NAMSIZ = 16;

    public static final int CTRL_CMD_NEWFAMILY = 1;
    public static final int CTRL_CMD_GETFAMILY = 3;

    public static final int CTRL_ATTR_FAMILY_ID = 1;
    public static final int CTRL_ATTR_FAMILY_NAME = 2;
    public static final int CTRL_ATTR_VERSION = 3;
    public static final int CTRL_ATTR_HDRSIZE = 4;
    public static final int CTRL_ATTR_MAXATTR = 5;
    /** Nested: one nested attribute per command, typed 1, 2, 3 … in the order the family registered them. */
    public static final int CTRL_ATTR_OPS = 6;
    public static final int CTRL_ATTR_MCAST_GROUPS = 7;

    public static final int CTRL_ATTR_OP_ID = 1;
    public static final int CTRL_ATTR_OP_FLAGS = 2;

    public static final int GENL_ADMIN_PERM = 0x0001;
    public static final int GENL_CMD_CAP_DO = 0x0002;
    public static final int GENL_CMD_CAP_DUMP = 0x0004;
    public static final int GENL_CMD_CAP_HASPOL = 0x0008;

    private GenericNetlink() {
    }
}
