package org.pfmeter.pf.sim.freebsd;

import org.pfmeter.pf.abi.netlink.GenericNetlink;

/**
 * One registered command ({@code struct genl_cmd}): its number, name, GENL_CMD_CAP_* flags, whether
 * it needs PRIV_NETINET_PF ({@code cmd_priv}; the family's operation list then adds
 * GENL_ADMIN_PERM), and its handler.
 */
public record FreeBsdNlCommand(int cmd, String name, int flags, boolean privileged, FreeBsdNlHandler handler) {

    /** DUMP | HASPOL: how pf_nl.c registers its read commands (GETRULES, GET_STATUS, GET_LIMIT …). */
    public static final int READ = GenericNetlink.GENL_CMD_CAP_DUMP | GenericNetlink.GENL_CMD_CAP_HASPOL;
    /** DO | DUMP | HASPOL: GETSTATES, GETCREATORS, ADDRULE, CLRSTATES, KILLSTATES, BEGIN_ADDRS. */
    public static final int DO_READ = GenericNetlink.GENL_CMD_CAP_DO | READ;
    /** DO | HASPOL: the commands that change something (START, SET_LIMIT, ADD_TABLE …). */
    public static final int WRITE = GenericNetlink.GENL_CMD_CAP_DO | GenericNetlink.GENL_CMD_CAP_HASPOL;

    /** {@code get_cmd_flags}: what CTRL_ATTR_OP_FLAGS says. */
    public int opFlags() {
        return flags | (privileged ? GenericNetlink.GENL_ADMIN_PERM : 0);
    }
}
