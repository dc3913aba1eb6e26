package org.pfmeter.pf.abi.netlink;

import java.util.List;

/**
 * PFNL_CMD_GET_LIMIT and PFNL_CMD_GET_TIMEOUT as libpfctl calls them ({@code pfctl_get_limit},
 * {@code pfctl_get_timeout}): one request per index, answered by one message with the value. An index
 * at or past the kernel's {@code PF_LIMIT_MAX} / {@code PFTM_MAX} answers EINVAL, which is how a
 * reader learns where this kernel's table ends.
 */
public final class PfnlScalars {

    private static final int READ = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_DUMP;

    /**
     * FreeBSD's {@code PF_LIMIT_*} in enum order (sys/netpfil/pf/pf.h), named as pfctl's
     * {@code pf_limits[]} names them: its table is not OpenBSD's (no "tables" or "pktdelay-pkts", and
     * "table-entries" is index 3). Later trees may append more; a reader stops at EINVAL or here.
     */
    public static final List<String> FREEBSD_LIMITS = List.of("states", "src-nodes", "frags", "table-entries");

    private PfnlScalars() {
    }

    public static byte[] getLimit(int familyId, long seq, int index) {
        return NetlinkRequest.genl(familyId, PfNl.Cmd.PFNL_CMD_GET_LIMIT, 0, READ, seq)
                .putU32(PfNl.Limit.PF_LI_INDEX, index).toBytes();
    }

    /** The limit, {@code UINT_MAX} for none. */
    public static long decodeLimit(NetlinkMessage m) {
        PfnlRules.expect(m, PfNl.Cmd.PFNL_CMD_GET_LIMIT, "PFNL_CMD_GET_LIMIT");
        return m.attributes("PFNL_CMD_GET_LIMIT reply").required(PfNl.Limit.PF_LI_LIMIT, "PF_LI_LIMIT").u32();
    }

    public static byte[] getTimeout(int familyId, long seq, int index) {
        return NetlinkRequest.genl(familyId, PfNl.Cmd.PFNL_CMD_GET_TIMEOUT, 0, READ, seq)
                .putU32(PfNl.Timeout.PF_TO_TIMEOUT, index).toBytes();
    }

    /** Seconds, or states for the adaptive thresholds. */
    public static long decodeTimeout(NetlinkMessage m) {
        PfnlRules.expect(m, PfNl.Cmd.PFNL_CMD_GET_TIMEOUT, "PFNL_CMD_GET_TIMEOUT");
        return m.attributes("PFNL_CMD_GET_TIMEOUT reply").required(PfNl.Timeout.PF_TO_SECONDS, "PF_TO_SECONDS").u32();
    }
}
