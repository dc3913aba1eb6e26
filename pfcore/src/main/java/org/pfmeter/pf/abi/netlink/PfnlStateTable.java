package org.pfmeter.pf.abi.netlink;

import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.abi.PfDeviceException;
import org.pfmeter.pf.abi.PfIoctlException;
import org.pfmeter.pf.abi.PfsyncState;
import org.pfmeter.pf.abi.StateTableReader;
import org.pfmeter.pf.abi.StateTableSource;
import org.pfmeter.pf.model.PfError;

/**
 * FreeBSD's state table for the breakdown ({@code states.StateBreakdownReader}): PFNL_CMD_GET_STATUS
 * for the table's size (a table above the bound is skipped with that one call), then the
 * PFNL_CMD_GETSTATES dump, each state rewritten by {@link PfnlStates.Decoder} and handed to the sink
 * as it arrives; nothing is kept (the heap does not grow with the table; no native buffer).
 *
 * <p>It resolves the "pfctl" family itself on its first read (and again after a socket failure), so
 * it can own a socket of its own: the breakdown runs on its own thread at its own cadence, and
 * netlink answers on one socket must not interleave with a poll's. Give it a second socket opened
 * with the poll's (before privileges are dropped), or the poll's socket when the caller serialises
 * the two.
 */
public final class PfnlStateTable implements StateTableSource {

    private static final String REQUEST = "PFNL_CMD_GETSTATES";
    private final PfnlClient client;
    private final PfnlStates.Decoder decoder = new PfnlStates.Decoder();
    private GenlFamily family;

    public PfnlStateTable(NetlinkSocket socket) {
        this.client = new PfnlClient(socket);
    }

    @Override
    public PfsyncState layout() {
        return decoder.layout();
    }

    @Override
    public String request() {
        return REQUEST;
    }

    @Override
    public long bufferBytes() {
        return 0;
    }

    @Override
    public synchronized StateTableReader.Result read(long maxStates, StateTableReader.StateSink sink)
            throws PfIoctlException {
        try {
            GenlFamily f = family();
            if (!f.supports(PfNl.Cmd.PFNL_CMD_GETSTATES)) {
                throw new PfIoctlException(new PfError(PfError.Kind.OTHER, REQUEST, 0, "",
                        "this kernel's pf has no netlink command " + PfNl.Cmd.PFNL_CMD_GETSTATES + " (GETSTATES)"));
            }
            int calls = 0;
            if (f.supports(PfNl.Cmd.PFNL_CMD_GET_STATUS)) {
                NetlinkMessage status = client.single("PFNL_CMD_GET_STATUS", seq -> PfnlStatus.request(f.id(), seq));
                PfnlRules.expect(status, PfNl.Cmd.PFNL_CMD_GET_STATUS, "PFNL_CMD_GET_STATUS");
                long states = status.attributes("PFNL_CMD_GET_STATUS reply")
                        .required(PfNl.GetStatus.PF_GS_STATES, "PF_GS_STATES").u32();
                calls++;
                if (states > maxStates) {
                    return new StateTableReader.Result(states, true, 0, calls);
                }
            }
            long before = decoder.decoded();
            client.stream(REQUEST, seq -> PfnlStates.request(f.id(), seq), m -> decoder.decode(m, sink));
            return new StateTableReader.Result(decoder.decoded() - before, false, 0, calls + 1);
        } catch (PfnlException e) {
            throw new PfIoctlException(error(e));
        } catch (MalformedAnswerException e) {
            throw PfIoctlException.malformed(REQUEST, e.getMessage());
        } catch (PfDeviceException e) {
            family = null;
            throw new PfIoctlException(new PfError(PfError.Kind.OTHER, REQUEST, 0, "", e.getMessage()));
        }
    }

    private GenlFamily family() throws PfnlException {
        if (family == null) {
            GenlFamily f = GenlFamily.decode(client.single("CTRL_CMD_GETFAMILY",
                    seq -> GenlFamily.request(PfNl.PFNL_FAMILY_NAME, seq)));
            if (!f.name().equals(PfNl.PFNL_FAMILY_NAME)) {
                throw new MalformedAnswerException("CTRL_CMD_GETFAMILY: asked for \"" + PfNl.PFNL_FAMILY_NAME
                        + "\", the controller answered for \"" + f.name() + "\"");
            }
            family = f;
        }
        return family;
    }

    private static PfError error(PfnlException e) {
        String name = FreeBsdErrno.name(e.errno());
        return switch (e.errno()) {
            case FreeBsdErrno.EPERM, FreeBsdErrno.EACCES -> new PfError(PfError.Kind.PERMISSION, e.command(), e.errno(),
                    name, e.command() + " failed with " + name + ": reading pf's states over netlink needs the "
                    + "PRIV_NETINET_PF privilege (run as root, outside a jail or in one allowed to use pf)");
            case FreeBsdErrno.ENOENT -> e.command().startsWith("CTRL_") ? new PfError(PfError.Kind.NO_DEVICE, e.command(),
                    e.errno(), name, "the generic netlink family \"pfctl\" is not registered: pf is not loaded (kldload pf)")
                    : new PfError(PfError.Kind.OTHER, e.command(), e.errno(), name, e.getMessage());
            default -> new PfError(PfError.Kind.OTHER, e.command(), e.errno(), name, e.getMessage());
        };
    }
}
