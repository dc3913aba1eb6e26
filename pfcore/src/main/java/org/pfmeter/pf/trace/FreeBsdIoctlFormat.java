package org.pfmeter.pf.trace;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.freebsd.FreeBsdIoctl;
import org.pfmeter.pf.abi.freebsd.FreeBsdStructs;

/**
 * The ioctl lines of a FreeBSD trace: the binary requests pfmeter still sends to /dev/pf next to
 * netlink ({@link FreeBsdIoctl}), written in the ioctl line shape of {@link TraceFormat} between the
 * netlink lines, in call order:
 *
 * <pre>
 * {"seq":12,"request":"DIOCIGETIFACES","number":3223864407,"select":{"pfiio_name":"","pfiio_esize":216,"pfiio_size":64},"rc":0,"errno":0,"arg":"…","pointees":{"pfiio_buffer":"…"}}
 * </pre>
 *
 * {@code select} holds the inputs that say what was asked, by C name; replay answers a call with the
 * next unused recorded one of the poll with the same request and select.
 */
final class FreeBsdIoctlFormat {

    /** FreeBSD's sys/errno.h {@code ELAST} (97, EINTEGRITY, since FreeBSD 12). */
    static final int ELAST = 97;

    private FreeBsdIoctlFormat() {
    }

    /** The selecting inputs of {@code io}, read from its argument before the call. */
    static ObjectNode select(FreeBsdIoctl io, ByteBuffer arg) {
        ObjectNode s = TraceEntries.JSON.createObjectNode();
        CStruct c = io.argument();
        switch (io) {
            case DIOCIGETIFACES -> {
                s.put("pfiio_name", NativeBytes.cString(arg, c.offset("pfiio_name"), FreeBsdStructs.IFNAMSIZ));
                s.put("pfiio_esize", arg.getInt(c.offset("pfiio_esize")));
                s.put("pfiio_size", arg.getInt(c.offset("pfiio_size")));
            }
            case DIOCGETALTQSV1 -> s.put("version", NativeBytes.u32(arg, c.offset("version")));
            case DIOCGETALTQV1 -> {
                s.put("ticket", NativeBytes.u32(arg, c.offset("ticket")));
                s.put("nr", NativeBytes.u32(arg, c.offset("nr")));
                s.put("version", NativeBytes.u32(arg, c.offset("version")));
            }
            case DIOCGETQSTATSV1 -> {
                s.put("ticket", NativeBytes.u32(arg, c.offset("ticket")));
                s.put("nr", NativeBytes.u32(arg, c.offset("nr")));
                s.put("nbytes", arg.getInt(c.offset("nbytes")));
                s.put("version", NativeBytes.u32(arg, c.offset("version")));
            }
            case DIOCRGETTSTATS -> {
                s.put("pfrt_anchor", NativeBytes.cString(arg, c.offset("pfrio_table", "pfrt_anchor"), FreeBsdStructs.MAXPATHLEN));
                s.put("pfrio_esize", arg.getInt(c.offset("pfrio_esize")));
                s.put("pfrio_size", arg.getInt(c.offset("pfrio_size")));
                s.put("pfrio_flags", arg.getInt(c.offset("pfrio_flags")));
            }
            default -> throw new IllegalStateException("no select for " + io);
        }
        return s;
    }

    /** What a call must equal to be answered by a recorded exchange (never a netlink key: those are hex). */
    static String key(FreeBsdIoctl io, ObjectNode select) {
        return io.name() + " " + select;
    }

    /** The pointer field of {@code io}'s argument whose buffer is recorded, or null. */
    static String pointee(FreeBsdIoctl io) {
        return switch (io) {
            case DIOCIGETIFACES -> "pfiio_buffer";
            case DIOCRGETTSTATS -> "pfrio_buffer";
            case DIOCGETQSTATSV1 -> "buf";
            default -> null;
        };
    }

    /**
     * What {@code --redact} changes: table names in DIOCRGETTSTATS' {@code struct pfr_tstats} (the same
     * placeholders the netlink tables get), queue names ({@code qname}, {@code parent}) of
     * DIOCGETALTQV1's {@code struct pf_altq_v1}. Interface names stay, as in OpenBSD traces.
     */
    static void redact(Redactor names, FreeBsdIoctl io, ByteBuffer arg, String field, ByteBuffer pointee) {
        if (io == FreeBsdIoctl.DIOCGETALTQV1 && arg != null) {
            CStruct c = io.argument();
            for (String f : new String[] {"qname", "parent"}) {
                int at = c.offset("altq", f);
                NativeBytes.putCString(arg, at, FreeBsdStructs.PF_QNAME_SIZE,
                        names.queue(NativeBytes.cString(arg, at, FreeBsdStructs.PF_QNAME_SIZE)));
            }
        }
        if (io == FreeBsdIoctl.DIOCRGETTSTATS && "pfrio_buffer".equals(field) && pointee != null) {
            CStruct ts = FreeBsdStructs.PFR_TSTATS;
            int name = ts.offset("pfrts_t", "pfrt_name");
            for (int base = 0; base + ts.size() <= pointee.capacity(); base += ts.size()) {
                String n = NativeBytes.cString(pointee, base + name, FreeBsdStructs.PF_TABLE_NAME_SIZE);
                NativeBytes.putCString(pointee, base + name, FreeBsdStructs.PF_TABLE_NAME_SIZE, names.table(n));
            }
        }
    }
}
