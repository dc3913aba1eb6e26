package org.pfmeter.pf.trace;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfConstants;
import org.pfmeter.pf.abi.PfIoctl;

/**
 * Removes personal data from a trace: the address fields inside rules ({@code src}, {@code dst}, the
 * {@code nat}/{@code rdr}/{@code route} pools, {@code divert}) are zeroed, and table and label names
 * become stable placeholders ({@code table-1}, {@code label-1}, …: the same name gets the same
 * placeholder throughout the trace). Source tracking nodes' addresses become stable placeholders
 * too (10.0.0.1, … for IPv4, fd00::1, … for IPv6: the same address gets the same placeholder, so the
 * nodes stay distinct). States' addresses (DIOCGETSTATES) are zeroed. The entries DIOCRGETASTATS returns become stable placeholder
 * addresses ({@code 10.255.0.1}, {@code 2001:db8::1}, …, keeping family, prefix length and negation)
 * and the table it asks for is named by its placeholder. Queue names (DIOCGETQSTATS' qname and parent, a
 * rule's qname and pqname) become {@code queue-1}, … the same way, except the root queue pf makes per
 * interface ({@code _root_em0}). Counters, anchors and interface names stay.
 */
public final class Redactor {

    private final Map<String, String> labels = new HashMap<>();
    private final Map<String, String> tables = new HashMap<>();
    private final Map<String, String> queues = new HashMap<>();
    private final Map<String, Integer> nodeAddresses = new HashMap<>();
    private final SourceWalkRedactor sources = new SourceWalkRedactor();
    private final Map<String, byte[]> addresses = new HashMap<>();

    String label(String name) {
        return name.isEmpty() ? name : labels.computeIfAbsent(name, n -> "label-" + (labels.size() + 1));
    }

    /**
     * A queue's stand-in; the hidden root queue pf makes per interface ({@code _root_em0}) names the
     * interface only, and interfaces stay.
     */
    String queue(String name) {
        return name.isEmpty() || name.startsWith("_root_") ? name : queues.computeIfAbsent(name, n -> "queue-" + (queues.size() + 1));
    }

    String table(String name) {
        return name.isEmpty() ? name : tables.computeIfAbsent(name, n -> "table-" + (tables.size() + 1));
    }

    /** A stable stand-in for an address: the n-th distinct one of its family. */
    byte[] address(byte[] real) {
        return addresses.computeIfAbsent(java.util.HexFormat.of().formatHex(real), k -> {
            int n = addresses.size() + 1;
            byte[] a = new byte[real.length];
            if (real.length == 4) {
                a[0] = 10;
                a[1] = (byte) 255;
                a[2] = (byte) (n >> 8);
                a[3] = (byte) n;
            } else {
                a[0] = 0x20;
                a[1] = 0x01;
                a[2] = 0x0d;
                a[3] = (byte) 0xb8;
                a[14] = (byte) (n >> 8);
                a[15] = (byte) n;
            }
            return a;
        });
    }

    void redactArgument(PfAbi abi, PfIoctl io, ByteBuffer arg, ObjectNode select) {
        if (io == PfIoctl.DIOCRGETASTATS) {
            int at = abi.struct("pfioc_table").offset("pfrio_table", "pfrt_name");
            String t = table(NativeBytes.cString(arg, at, PfConstants.PF_TABLE_NAME_SIZE));
            NativeBytes.putCString(arg, at, PfConstants.PF_TABLE_NAME_SIZE, t);
            select.put("pfrt_name", t);
        }
        sources.redactSelect(io, select);
        if (io == PfIoctl.DIOCGETQSTATS) {
            for (String f : new String[] {"qname", "parent"}) {
                int at = abi.struct("pfioc_qstats").offset("queue", f);
                NativeBytes.putCString(arg, at, PfConstants.PF_QNAME_SIZE, queue(NativeBytes.cString(arg, at, PfConstants.PF_QNAME_SIZE)));
            }
        }
        if (io == PfIoctl.DIOCGETSOURCELIM || io == PfIoctl.DIOCGETNSOURCELIM) {
            int at = abi.struct("pfioc_sourcelim").offset("overload_tblname");
            NativeBytes.putCString(arg, at, PfConstants.PF_TABLE_NAME_SIZE,
                    table(NativeBytes.cString(arg, at, PfConstants.PF_TABLE_NAME_SIZE)));
        }
        if (io != PfIoctl.DIOCGETRULE) {
            return;
        }
        CStruct r = abi.struct("pfioc_rule");
        CStruct rule = abi.struct("pf_rule");
        int base = r.offset("rule");
        for (String f : new String[] {"src", "dst", "nat", "rdr", "route", "divert"}) {
            CStruct.Field field = rule.field(f);
            if (f.equals("nat") || f.equals("rdr") || f.equals("route")) {
                // a pool's address wrapper and its counter hold addresses; its ifname does not
                CStruct pool = (CStruct) field.type();
                zero(arg, base + field.offset() + pool.offset("addr"), pool.field("addr").size());
                zero(arg, base + field.offset() + pool.offset("counter"), pool.field("counter").size());
            } else if (f.equals("divert")) {
                CStruct d = (CStruct) field.type();
                zero(arg, base + field.offset() + d.offset("addr"), d.field("addr").size());
            } else {
                CStruct ra = (CStruct) field.type();
                zero(arg, base + field.offset() + ra.offset("addr"), ra.field("addr").size());
            }
        }
        int label = base + rule.offset("label");
        String name = NativeBytes.cString(arg, label, PfConstants.PF_RULE_LABEL_SIZE);
        NativeBytes.putCString(arg, label, PfConstants.PF_RULE_LABEL_SIZE, label(name));
        for (String f : new String[] {"qname", "pqname"}) {
            int at = base + rule.offset(f);
            NativeBytes.putCString(arg, at, PfConstants.PF_QNAME_SIZE, queue(NativeBytes.cString(arg, at, PfConstants.PF_QNAME_SIZE)));
        }
        int overload = base + rule.offset("overload_tblname");
        String t = NativeBytes.cString(arg, overload, PfConstants.PF_TABLE_NAME_SIZE);
        NativeBytes.putCString(arg, overload, PfConstants.PF_TABLE_NAME_SIZE, table(t));
    }

    /** A pointee of a request whose argument says whose it is (a source limiter's walk: its id). */
    void redactPointee(PfAbi abi, PfIoctl io, String field, ByteBuffer b, ByteBuffer arg) {
        sources.redactPointee(abi, io, field, b, arg);
        redactPointee(abi, io, field, b);
    }

    void redactPointee(PfAbi abi, PfIoctl io, String field, ByteBuffer b) {
        if (io == PfIoctl.DIOCRGETASTATS && field.equals("pfrio_buffer")) {
            CStruct as = abi.struct("pfr_astats");
            int u = as.offset("pfras_a", "pfra_u");
            int af = as.offset("pfras_a", "pfra_af");
            for (int base = 0; base + as.size() <= b.capacity(); base += as.size()) {
                int family = NativeBytes.u8(b, base + af);
                if (family == org.pfmeter.pf.abi.PfrAstats.AF_INET || family == org.pfmeter.pf.abi.PfrAstats.AF_INET6) {
                    byte[] real = new byte[family == org.pfmeter.pf.abi.PfrAstats.AF_INET ? 4 : 16];
                    b.get(base + u, real);
                    b.put(base + u, address(real));
                }
            }
            return;
        }
        if (io == PfIoctl.DIOCGETSRCNODES && field.equals("psn_buf")) {
            redactSourceNodes(abi, b);
        } else if (io == PfIoctl.DIOCGETSTATES && field.equals("ps_buf")) {
            redactStates(abi, b);
            return;
        }
        if (io != PfIoctl.DIOCRGETTSTATS || !field.equals("pfrio_buffer")) {
            return;
        }
        CStruct ts = abi.struct("pfr_tstats");
        int name = ts.offset("pfrts_t", "pfrt_name");
        for (int base = 0; base + ts.size() <= b.capacity(); base += ts.size()) {
            String n = NativeBytes.cString(b, base + name, PfConstants.PF_TABLE_NAME_SIZE);
            NativeBytes.putCString(b, base + name, PfConstants.PF_TABLE_NAME_SIZE, table(n));
        }
    }

    private void redactSourceNodes(PfAbi abi, ByteBuffer b) {
        CStruct sn = abi.struct("pf_src_node");
        int af = sn.offset("af");
        for (int base = 0; base + sn.size() <= b.capacity(); base += sn.size()) {
            boolean v6 = b.get(base + af) == 24;      // AF_INET6
            for (String f : new String[] {"addr", "raddr"}) {
                int at = base + sn.offset(f);
                String hex = NativeBytes.hex(b, at, 16);
                if (hex.equals("0".repeat(32))) {
                    continue;                          // no translated address: stays zero
                }
                int n = nodeAddresses.computeIfAbsent(hex, h -> nodeAddresses.size() + 1);
                zero(b, at, 16);
                if (v6) {
                    b.put(at, (byte) 0xfd);
                    b.put(at + 13, (byte) (n >> 16));
                    b.put(at + 14, (byte) (n >> 8));
                    b.put(at + 15, (byte) n);
                } else {
                    b.put(at, (byte) 10);
                    b.put(at + 1, (byte) (n >> 16));
                    b.put(at + 2, (byte) (n >> 8));
                    b.put(at + 3, (byte) n);
                }
            }
        }
    }

    /** A state's addresses (both keys, and the route-to address) are zeroed; ports, counters and rule numbers stay. */
    private static void redactStates(PfAbi abi, ByteBuffer b) {
        CStruct st = abi.struct("pfsync_state");
        int keys = st.offset("key");
        CStruct key = abi.struct("pfsync_state_key");
        for (int base = 0; base + st.size() <= b.capacity(); base += st.size()) {
            for (int k = 0; k < 2; k++) {
                zero(b, base + keys + k * key.size() + key.offset("addr"), key.field("addr").size());
            }
            zero(b, base + st.offset("rt_addr"), st.field("rt_addr").size());
        }
    }

    private static void zero(ByteBuffer b, int off, int len) {
        for (int i = 0; i < len; i++) {
            b.put(off + i, (byte) 0);
        }
    }
}
