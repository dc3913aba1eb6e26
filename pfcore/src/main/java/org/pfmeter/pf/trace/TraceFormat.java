package org.pfmeter.pf.trace;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfConstants;
import org.pfmeter.pf.abi.PfIoctl;

/**
 * The ioctl trace format, version 1: JSON lines.
 *
 * <pre>
 * {"pfmeter_trace":1,"kernel_release":"8.0","machine":"amd64","abi":"8.0","taken_at":"2026-11-22T10:00:00Z"}
 * {"poll":1,"at":"2026-11-22T10:00:00Z"}
 * {"seq":1,"request":"DIOCGETSTATUS","number":3255321621,"select":{},"rc":0,"errno":0,"arg":"0400…"}
 * {"seq":2,"request":"DIOCIGETIFACES","number":3223864407,"select":{"pfiio_name":"","pfiio_esize":256,"pfiio_size":64},
 *  "rc":0,"errno":0,"arg":"…","pointees":{"pfiio_buffer":"616c6c00…"}}
 * </pre>
 *
 * {@code arg} is the argument struct after the call, {@code pointees} the buffers its pointer fields
 * point to after the call (keyed by the pointer field's C name), both lowercase hex; {@code select}
 * holds the input fields that say what was asked, by C name; {@code rc} is 0 or -1.
 */
public final class TraceFormat {

    public static final int VERSION = 1;

    private TraceFormat() {
    }

    /** The input fields that select what a request asks for, read from the argument before the call. */
    public static ObjectNode select(PfAbi abi, PfIoctl io, ByteBuffer arg) {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        switch (io) {
            case DIOCGETLIMIT -> s.put("index", arg.getInt(abi.struct("pfioc_limit").offset("index")));
            case DIOCGETTIMEOUT -> s.put("timeout", arg.getInt(abi.struct("pfioc_tm").offset("timeout")));
            case DIOCIGETIFACES -> {
                CStruct c = abi.struct("pfioc_iface");
                s.put("pfiio_name", NativeBytes.cString(arg, c.offset("pfiio_name"), PfConstants.IFNAMSIZ));
                s.put("pfiio_esize", arg.getInt(c.offset("pfiio_esize")));
                s.put("pfiio_size", arg.getInt(c.offset("pfiio_size")));
            }
            case DIOCGETRULES -> s.put("anchor", NativeBytes.cString(arg, abi.struct("pfioc_rule").offset("anchor"), PfConstants.PATH_MAX));
            case DIOCGETRULE -> {
                CStruct c = abi.struct("pfioc_rule");
                s.put("anchor", NativeBytes.cString(arg, c.offset("anchor"), PfConstants.PATH_MAX));
                s.put("ticket", NativeBytes.u32(arg, c.offset("ticket")));
            }
            case DIOCXEND -> s.put("ticket", NativeBytes.u32(arg, 0));
            case DIOCGETRULESETS -> s.put("path", NativeBytes.cString(arg, abi.struct("pfioc_ruleset").offset("path"), PfConstants.PATH_MAX));
            case DIOCGETRULESET -> {
                CStruct c = abi.struct("pfioc_ruleset");
                s.put("path", NativeBytes.cString(arg, c.offset("path"), PfConstants.PATH_MAX));
                s.put("nr", NativeBytes.u32(arg, c.offset("nr")));
            }
            case DIOCRGETTSTATS -> {
                CStruct c = abi.struct("pfioc_table");
                s.put("pfrt_anchor", NativeBytes.cString(arg, c.offset("pfrio_table", "pfrt_anchor"), PfConstants.PATH_MAX));
                s.put("pfrio_esize", arg.getInt(c.offset("pfrio_esize")));
                s.put("pfrio_size", arg.getInt(c.offset("pfrio_size")));
                s.put("pfrio_flags", arg.getInt(c.offset("pfrio_flags")));
            }
            case DIOCRGETASTATS -> {
                CStruct c = abi.struct("pfioc_table");
                s.put("pfrt_anchor", NativeBytes.cString(arg, c.offset("pfrio_table", "pfrt_anchor"), PfConstants.PATH_MAX));
                s.put("pfrt_name", NativeBytes.cString(arg, c.offset("pfrio_table", "pfrt_name"), PfConstants.PF_TABLE_NAME_SIZE));
                s.put("pfrio_esize", arg.getInt(c.offset("pfrio_esize")));
                s.put("pfrio_size", arg.getInt(c.offset("pfrio_size")));
                s.put("pfrio_flags", arg.getInt(c.offset("pfrio_flags")));
            }
            case DIOCGETQSTATS -> {
                CStruct c = abi.struct("pfioc_qstats");
                s.put("ticket", NativeBytes.u32(arg, c.offset("ticket")));
                s.put("nr", NativeBytes.u32(arg, c.offset("nr")));
                s.put("nbytes", arg.getInt(c.offset("nbytes")));
            }
            // the size query (0) and the read (the bytes offered) are told apart by what was offered
            case DIOCGETSRCNODES -> s.put("psn_len", arg.getLong(abi.struct("pfioc_src_nodes").offset("psn_len")));
            case DIOCGETSTATELIM, DIOCGETNSTATELIM -> s.put("id", NativeBytes.u32(arg, abi.struct("pfioc_statelim").offset("id")));
            case DIOCGETSOURCELIM, DIOCGETNSOURCELIM -> s.put("id", NativeBytes.u32(arg, abi.struct("pfioc_sourcelim").offset("id")));
            case DIOCGETSOURCE, DIOCGETNSOURCE -> {
                CStruct c = abi.struct("pfioc_source");
                s.put("id", NativeBytes.u32(arg, c.offset("id")));
                s.put("entry_size", NativeBytes.u64(arg, c.offset("entry_size")));
                s.put("entrieslen", NativeBytes.u64(arg, c.offset("entrieslen")));
            }
            case DIOCGETSTATES -> s.put("ps_len", NativeBytes.u64(arg, abi.pfsyncState().psLen));
            case DIOCGETSTATUS, DIOCGETSYNFLWATS, DIOCGETQUEUES -> {
                // nothing selects: the whole state is asked for
            }
        }
        return s;
    }

    /**
     * {@link #select(PfAbi, PfIoctl, ByteBuffer)} plus what a request selects through a pointer: the
     * {@code key} entry (af, rdomain, addr as hex) where a DIOCGETSOURCE/DIOCGETNSOURCE walk resumes.
     */
    public static ObjectNode select(PfAbi abi, PfIoctl io, IoctlCall call) {
        ObjectNode s = select(abi, io, call.argument());
        if (io == PfIoctl.DIOCGETSOURCE || io == PfIoctl.DIOCGETNSOURCE) {
            call.pointee(abi.struct("pfioc_source").offset("key"))
                    .ifPresent(k -> s.put("key", NativeBytes.hex(k, 0, SOURCE_KEY_BYTES)));
        }
        return s;
    }

    /** af, rdomain and addr of a {@code struct pfioc_source_entry}: what its walk compares. */
    static final int SOURCE_KEY_BYTES = 24;

    /** Offset of the ticket a request carries or returns, or -1. */
    static int ticketOffset(PfAbi abi, PfIoctl io) {
        return switch (io) {
            case DIOCGETRULES, DIOCGETRULE -> abi.struct("pfioc_rule").offset("ticket");
            case DIOCXEND -> 0;
            case DIOCGETQUEUES -> abi.struct("pfioc_queue").offset("ticket");
            case DIOCGETQSTATS -> abi.struct("pfioc_qstats").offset("ticket");
            default -> -1;
        };
    }

    static String hex(ByteBuffer b) {
        return NativeBytes.hex(b, 0, b.capacity());
    }

    /** The header line every trace starts with (the recorders add what is their own after it). */
    static com.fasterxml.jackson.databind.node.ObjectNode header(String kernelRelease, String machine, String abi,
            java.time.Instant takenAt, boolean redacted, String device, java.util.Optional<java.time.Instant> bootTime) {
        com.fasterxml.jackson.databind.node.ObjectNode h = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        h.put("pfmeter_trace", VERSION);
        h.put("kernel_release", kernelRelease);
        h.put("machine", machine);
        h.put("abi", abi);
        h.put("taken_at", takenAt.toString());
        h.put("redacted", redacted);
        h.put("device", device);
        bootTime.ifPresent(b -> h.put("boot_time", b.toString()));
        return h;
    }

    /** The line that marks the start of poll {@code n}, taken at {@code at}. */
    static com.fasterxml.jackson.databind.node.ObjectNode pollLine(int n, java.time.Instant at) {
        com.fasterxml.jackson.databind.node.ObjectNode p = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        p.put("poll", n);
        p.put("at", at.toString());
        return p;
    }
}
