package org.pfmeter.pf.model;

/**
 * A TCP peer's state as pf keeps it in {@code pf_state_peer.state}: the names and order of
 * netinet/tcp_fsm.h's {@code tcpstates[]} (TCP_NSTATES = 11). pf adds two synproxy levels after
 * them, PF_TCPS_PROXY_SRC and PF_TCPS_PROXY_DST, which pfctl prints as "PROXY:SRC" and "PROXY:DST".
 */
public enum TcpState implements KernelName {
    CLOSED, LISTEN, SYN_SENT, SYN_RCVD, ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK, FIN_WAIT_2, TIME_WAIT;

    /** pfvar.h PF_TCPS_PROXY_SRC = TCP_NSTATES + 0. */
    public static final int PF_TCPS_PROXY_SRC = 11;
    /** pfvar.h PF_TCPS_PROXY_DST = TCP_NSTATES + 1. */
    public static final int PF_TCPS_PROXY_DST = 12;
    private static final TcpState[] BY_LEVEL = values();

    @Override
    public String kernelName() {
        return name();
    }

    /**
     * The pair as pfctl's print_state() shows it, from the peers in the order it prints them:
     * "ESTABLISHED:ESTABLISHED", "PROXY:SRC", "PROXY:DST", or "BAD" for levels pf never sets.
     */
    public static String pair(int src, int dst) {
        if (src < BY_LEVEL.length && dst < BY_LEVEL.length) {
            return BY_LEVEL[src].name() + ":" + BY_LEVEL[dst].name();
        }
        if (src == PF_TCPS_PROXY_SRC || dst == PF_TCPS_PROXY_SRC) {
            return "PROXY:SRC";
        }
        if (src == PF_TCPS_PROXY_DST || dst == PF_TCPS_PROXY_DST) {
            return "PROXY:DST";
        }
        return "BAD";
    }
}
