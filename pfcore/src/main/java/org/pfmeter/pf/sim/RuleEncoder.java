package org.pfmeter.pf.sim;

import static org.pfmeter.pf.abi.PfConstants.IFNAMSIZ;
import static org.pfmeter.pf.abi.PfConstants.PATH_MAX;
import static org.pfmeter.pf.abi.PfConstants.PF_QNAME_SIZE;
import static org.pfmeter.pf.abi.PfConstants.PF_TABLE_NAME_SIZE;

import java.nio.ByteBuffer;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfiocRule;
import org.pfmeter.pf.model.RuleCounters;

/**
 * Writes a rule into a pfioc_rule as DIOCGETRULE does: the whole struct pf_rule as loaded (kernel
 * pointers zeroed, skip steps as rule numbers, table counts filled in), then pf_anchor_copyout() and
 * {@code pr->nr}. One instance per ABI release; the constant part of every rule is a template
 * copied in one go, so the 50,000-call walk of a large ruleset allocates nothing big.
 */
final class RuleEncoder {

    private static final int PF_ADDR_TABLE = 3;
    private static final int PF_ADDR_NONE = 7;
    private static final int PF_OP_EQ = 2;
    private static final int PF_STATE_NORMAL = 1;
    private static final int PF_LOG = 1;
    private static final int PF_LIMITER_BLOCK = 1;
    private static final int TH_SYN = 0x02;
    private static final int TH_ACK = 0x10;
    /** The upper half of an amd64 kernel address: a skip step that points at a rule keeps it beside the number. */
    private static final int KERNEL_VA_HIGH = 0xffff_8000;

    private final PfiocRule codec;
    private final int base;
    private final int ruleSize;
    private final ByteBuffer template;
    private final int anchorCall;
    private final byte[] tail = new byte[PATH_MAX];

    private final int srcType;
    private final int srcTblname;
    private final int srcTblcnt;
    private final int dstType;
    private final int dstTblname;
    private final int dstTblcnt;
    private final int dstPort;
    private final int dstPortOp;
    private final int skip;
    private final int skipStride;
    private final int ifname;
    private final int qname;
    private final int cpid;
    private final int action;
    private final int direction;
    private final int log;
    private final int quick;
    private final int keepState;
    private final int af;
    private final int proto;
    private final int flags;
    private final int flagset;
    private final int anchorRelative;

    RuleEncoder(PfAbi abi) {
        codec = abi.rule();
        CStruct pr = abi.struct("pfioc_rule");
        CStruct r = abi.struct("pf_rule");
        base = pr.offset("rule");
        ruleSize = r.size();
        anchorCall = pr.offset("anchor_call");
        srcType = r.offset("src", "addr", "type");
        srcTblname = r.offset("src", "addr", "v", "tblname");
        srcTblcnt = r.offset("src", "addr", "p", "tblcnt");
        dstType = r.offset("dst", "addr", "type");
        dstTblname = r.offset("dst", "addr", "v", "tblname");
        dstTblcnt = r.offset("dst", "addr", "p", "tblcnt");
        dstPort = r.offset("dst", "port");
        dstPortOp = r.offset("dst", "port_op");
        skip = r.offset("skip");
        skipStride = r.field("skip").size() / Topology.SKIP_COUNT;
        ifname = r.offset("ifname");
        qname = r.offset("qname");
        cpid = r.offset("cpid");
        action = r.offset("action");
        direction = r.offset("direction");
        log = r.offset("log");
        quick = r.offset("quick");
        keepState = r.offset("keep_state");
        af = r.offset("af");
        proto = r.offset("proto");
        flags = r.offset("flags");
        flagset = r.offset("flagset");
        anchorRelative = r.offset("anchor_relative");

        // what pfctl loads into every rule: no nat/rdr/route pool, no rtable, no rdomain
        template = NativeBytes.allocate(ruleSize);
        for (String pool : new String[] {"nat", "rdr", "route"}) {
            NativeBytes.putU8(template, r.offset(pool, "addr", "type"), PF_ADDR_NONE);
        }
        template.putInt(r.offset("rtableid"), -1);
        template.putInt(r.offset("onrdomain"), -1);
        if (r.has("statelim")) {
            template.putInt(r.offset("statelim", "limiter_action"), PF_LIMITER_BLOCK);
            template.putInt(r.offset("sourcelim", "limiter_action"), PF_LIMITER_BLOCK);
        }
    }

    /** Fills {@code b} (a pfioc_rule) with rule {@code i} and its counters {@code c}. */
    void encode(Topology t, int i, RuleCounters c, int loaderPid, ByteBuffer b) {
        b.put(base, template, 0, ruleSize);
        int at = base;
        table(t, t.srcTable[i], b, at + srcType, at + srcTblname, at + srcTblcnt);
        table(t, t.dstTable[i], b, at + dstType, at + dstTblname, at + dstTblcnt);
        if (t.dstPort[i] > 0) {
            // ports are stored in network byte order
            b.put(at + dstPort, (byte) (t.dstPort[i] >> 8));
            b.put(at + dstPort + 1, (byte) t.dstPort[i]);
            NativeBytes.putU8(b, at + dstPortOp, PF_OP_EQ);
        }
        for (int f = 0; f < Topology.SKIP_COUNT; f++) {
            int s = t.skip[i * Topology.SKIP_COUNT + f];
            int off = at + skip + f * skipStride;
            b.putInt(off, s);                                   // -1: NULL, "to the end"
            b.putInt(off + 4, s < 0 ? 0 : KERNEL_VA_HIGH);
        }
        putString(b, at + ifname, IFNAMSIZ, t.ifname[i]);
        putString(b, at + qname, PF_QNAME_SIZE, t.qname[i]);
        b.putInt(at + cpid, loaderPid);
        NativeBytes.putU8(b, at + action, t.action[i]);
        NativeBytes.putU8(b, at + direction, t.direction[i]);
        NativeBytes.putU8(b, at + log, t.log[i] ? PF_LOG : 0);
        NativeBytes.putU8(b, at + quick, t.quick[i] ? 1 : 0);
        NativeBytes.putU8(b, at + keepState, t.keepState[i] ? PF_STATE_NORMAL : 0);
        NativeBytes.putU8(b, at + af, t.af[i]);
        NativeBytes.putU8(b, at + proto, t.proto[i]);
        if (t.keepState[i] && t.proto[i] == Topology.IPPROTO_TCP) {
            NativeBytes.putU8(b, at + flags, TH_SYN);             // pfctl's default "flags S/SA"
            NativeBytes.putU8(b, at + flagset, TH_SYN | TH_ACK);
        }
        NativeBytes.putU8(b, at + anchorRelative, t.anchorCall[i] >= 0 ? 1 : 0);
        // pf_anchor_copyout() writes anchor_call[0] and strlcpy()s the name: the rest of the caller's
        // bytes stay. PfiocRule.encode zero-fills the array, so keep the caller's tail around it.
        int callLength = org.pfmeter.pf.abi.KernelStrings.encode(c.anchorCall()).length;
        b.get(anchorCall + callLength + 1, tail, 0, PATH_MAX - callLength - 1);
        codec.encode(c, b);
        b.put(anchorCall + callLength + 1, tail, 0, PATH_MAX - callLength - 1);
    }

    private static void table(Topology t, int tb, ByteBuffer b, int type, int name, int count) {
        if (tb < 0) {
            return;                                             // "any": PF_ADDR_ADDRMASK, all zero
        }
        NativeBytes.putU8(b, type, PF_ADDR_TABLE);
        putString(b, name, PF_TABLE_NAME_SIZE, t.tables.get(tb).name());
        b.putInt(count, t.tables.get(tb).addresses());            // pf_addr_copyout(): tblcnt
    }

    /** A name into a zeroed template: no need to clear the rest. */
    private static void putString(ByteBuffer b, int off, int capacity, String s) {
        if (!s.isEmpty()) {
            NativeBytes.putCString(b, off, capacity, s);
        }
    }
}
