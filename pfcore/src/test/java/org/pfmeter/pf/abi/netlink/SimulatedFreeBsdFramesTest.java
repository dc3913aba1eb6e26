package org.pfmeter.pf.abi.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.pf.abi.netlink.HandFrame.concat;
import static org.pfmeter.pf.abi.netlink.HandFrame.nested;
import static org.pfmeter.pf.abi.netlink.HandFrame.nla;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaStr;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU16;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU32;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU64;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU8;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.sim.SimClock;
import org.pfmeter.pf.sim.SimKernelView;
import org.pfmeter.pf.sim.SimScale;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.sim.freebsd.SimulatedFreeBsd;

/**
 * What the simulated FreeBSD writes, compared byte for byte with frames built here by hand from
 * pf_nl.h, pf_nl.c and the netlink headers (field by field with {@link HandFrame}, not with the
 * simulator's writer), and decoded by the reader's own decoders: the GET_STATUS reply with its ACK,
 * and one GETRULE reply (a rule with two labels) with its ACK.
 */
class SimulatedFreeBsdFramesTest {

    static final Instant START = Instant.parse("2026-11-02T08:00:00Z");
    static final int REQUEST_FLAGS = 0x305;          // NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP, as libpfctl sends reads
    static final List<String> PFRES = List.of("match", "bad-offset", "fragment", "short", "normalize", "memory",
            "bad-timestamp", "congestion", "ip-option", "proto-cksum", "state-mismatch", "state-insert",
            "state-limit", "src-limit", "synproxy", "map-failed");
    static final List<String> KLCNT = List.of("max states per rule", "max-src-states", "max-src-nodes",
            "max-src-conn", "max-src-conn-rate", "overload table insertion", "overload flush states",
            "synfloods detected", "syncookies sent", "syncookies validated");
    static final List<String> FCNT = List.of("searches", "inserts", "removals");

    final SimulatedFreeBsd pf = new SimulatedFreeBsd(7, SimScale.SMALL, FreeBsdRelease.FREEBSD_15_0, SimClock.manual(START));

    /** struct nlmsghdr with the socket's port as nlmsg_pid, as the kernel echoes it. */
    static byte[] msg(int type, int flags, long seq, long pid, byte[] payload) {
        return new HandFrame().u32(16 + payload.length).u16(type).u16(flags).u32(seq).u32(pid).bytes(payload).bytes();
    }

    static byte[] genl(int family, int flags, long seq, long pid, int cmd, byte[]... attrs) {
        return msg(family, flags, seq, pid, concat(new HandFrame().u8(cmd).u8(0).u16(0).bytes(), concat(attrs)));
    }

    /** The ACK: NLMSG_ERROR (2), NLM_F_CAPPED, error 0, the request's header with the kernel's pid stamp. */
    static byte[] ack(byte[] request, long seq, long pid) {
        byte[] header = new HandFrame().bytes(java.util.Arrays.copyOf(request, 12)).u32(pid).bytes();
        return msg(2, 0x100, seq, pid, new HandFrame().u32(0).bytes(header).bytes());
    }

    static byte[] all(NetlinkSocket s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            try {
                out.writeBytes(s.receive());
            } catch (org.pfmeter.pf.abi.PfDeviceException e) {
                return out.toByteArray();
            }
        }
    }

    static byte[] u64Array(int type, long... values) {
        List<byte[]> parts = new ArrayList<>();
        for (long v : values) {
            parts.add(nlaU64(0, v));
        }
        return nested(type, parts.toArray(new byte[0][]));
    }

    static byte[] counters(int type, List<String> names, long[] values) {
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            parts.add(nested(type, nlaU32(3, i), nlaStr(2, names.get(i)), nlaU64(1, values[i])));
        }
        return concat(parts.toArray(new byte[0][]));
    }

    static long[] byName(org.pfmeter.pf.model.KernelCounters c, List<String> names) {
        long[] v = new long[names.size()];
        for (int i = 0; i < v.length; i++) {
            String n = names.get(i).equals("map-failed") ? "translate" : names.get(i);
            v[i] = c.find(n).orElse(0);
        }
        return v;
    }

    @Test
    void getStatusIsWrittenAsPfHandleGetStatusWritesIt() {
        pf.advance(Duration.ofHours(3));
        NetlinkSocket s = pf.netlink();
        byte[] request = PfnlStatus.request(pf.familyId(), 42);
        s.send(request);
        byte[] got = all(s);
        List<NetlinkMessage> msgs = NetlinkMessage.parseAll(got);
        long pid = msgs.get(0).pid();
        assertThat(pid).isNotZero();

        Status k = pf.kernel().status();
        long since = PfnlStatus.decode(msgs.get(0)).since();
        assertThat(since).isBetween(pf.since(), pf.since() + 1);
        long[] p = k.logInterface().counters().packetsArray();
        long[] b = k.logInterface().counters().bytesArray();
        byte[] status = genl(pf.familyId(), REQUEST_FLAGS, 42, pid, 11,
                nlaStr(1, k.logInterface().ifname()),
                nlaU8(2, 1),                                        // bool: one byte
                nlaU32(3, since),
                nlaU32(4, 1),                                       // PF_DEBUG_URGENT
                nlaU32(5, Integer.reverseBytes((int) k.hostid()) & 0xffffffffL),
                nlaU32(6, k.states()),
                nlaU32(7, k.srcNodes()),
                nlaU32(8, k.reass()),
                nlaU32(9, k.syncookiesActive() ? 1 : 0),            // "bool" in the header, a u32 on the wire
                counters(10, PFRES, byName(k.counters(), PFRES)),
                counters(11, KLCNT, byName(k.limitCounters(), KLCNT)),
                counters(12, FCNT, byName(k.stateOperations(), FCNT)),
                counters(13, FCNT, byName(k.srcNodeOperations(), FCNT)),
                counters(17, FCNT, byName(k.fragmentOperations(), FCNT)),
                nlaU64(18, k.fragments().orElseThrow()),
                u64Array(16, b[0] + b[1], b[2] + b[3], b[4] + b[5], b[6] + b[7]),
                u64Array(15, p),
                nla(14, HexFormat.of().parseHex(k.checksum())));
        assertThat(HexFormat.of().formatHex(got)).isEqualTo(HexFormat.of().formatHex(concat(status, ack(request, 42, pid))));

        PfnlStatus decoded = PfnlStatus.decode(msgs.get(0));
        assertThat(decoded.states()).isEqualTo(k.states());
        assertThat(decoded.counters()).hasSize(16);
        assertThat(decoded.limitCounters()).hasSize(10);
        assertThat(decoded.fragments()).isEqualTo(k.fragments());
        assertThat(msgs.get(1).errno()).isZero();
    }

    // ---- GETRULE

    static byte[] pool(int type) {
        return nested(type, nla(1, new byte[16]), nla(2, new byte[16]), nlaU32(3, 0), nlaU16(4, 0), nlaU16(5, 0),
                nlaU8(6, 0), nested(7, nlaU8(1, 0), nlaU8(2, 0), nlaU16(3, 0)));
    }

    static byte[] uid(int type) {
        return nested(type, nlaU32(1, 0), nlaU32(2, 0), nlaU8(3, 0));
    }

    byte[] ruleAddr(int type, String table, String anchor, int port) {
        List<byte[]> aw = new ArrayList<>(List.of(nla(1, new byte[16]), nla(2, new byte[16]),
                nlaU8(5, table.isEmpty() ? 0 : 3), nlaU8(6, 0)));
        if (!table.isEmpty()) {
            long cnt = 0xffffffffL;
            for (TableStats t : pf.kernel().tables()) {
                if (t.name().equals(table) && (t.anchor().equals(anchor) || t.anchor().isEmpty())) {
                    cnt = t.addresses();
                    break;
                }
            }
            aw.add(nlaStr(4, table));
            aw.add(nlaU32(7, cnt));
        }
        // port[0] is in network byte order: its two bytes travel as they are
        byte[] portBytes = new HandFrame().u8(port >>> 8).u8(port & 0xff).bytes();
        return nested(type, nested(1, aw.toArray(new byte[0][])), nla(2, portBytes), nlaU16(3, 0), nlaU8(4, 0),
                nlaU8(5, port == 0 ? 0 : 2));
    }

    @Test
    void getRuleIsWrittenAsPfHandleGetruleWritesIt() {
        pf.advance(Duration.ofHours(3));
        int i = -1;
        for (int j = 0; j < pf.kernel().rules(); j++) {
            if (pf.ruleLabels(j).size() == 2) {
                i = j;
                break;
            }
        }
        assertThat(i).as("a rule with two labels").isNotNegative();
        SimKernelView.RuleDef def = pf.kernel().rule(i);
        RuleCounters c = pf.kernel().peekRule(i);

        NetlinkSocket s = pf.netlink();
        s.send(PfnlRules.getRules(pf.familyId(), 1, "", 0));
        PfnlRules.Info info = PfnlRules.decodeInfo(NetlinkMessage.parseAll(all(s)).get(0));
        byte[] request = PfnlRules.getRule(pf.familyId(), 2, "", 0, def.nr(), info.ticket());
        s.send(request);
        byte[] got = all(s);
        long pid = NetlinkMessage.parseAll(got).get(0).pid();

        List<byte[]> labels = new ArrayList<>();
        for (String l : pf.ruleLabels(i)) {
            labels.add(nlaStr(1, l));
        }
        List<byte[]> timeouts = new ArrayList<>();
        for (int t = 0; t < 25; t++) {
            timeouts.add(nlaU32(14, 0));                        // PFTM_MAX elements typed PF_RT_TIMEOUT
        }
        boolean tcpState = def.keepState() && def.proto() == 6;
        byte[] rule = genl(pf.familyId(), REQUEST_FLAGS, 2, pid, 7,
                ruleAddr(1, def.srcTable(), def.anchor(), 0),
                ruleAddr(2, def.dstTable(), def.anchor(), def.dstPort()),
                nlaU32(3, pf.ridentifier(i)),
                nested(4, labels.toArray(new byte[0][])),
                nlaStr(5, def.ifname()), nlaStr(6, def.qname()), nlaStr(7, ""), nlaStr(8, ""), nlaStr(9, ""),
                nlaStr(10, ""),
                pool(11), pool(75), pool(77),
                nlaU32(12, 0), nlaU32(13, 0xffffffffL),
                nested(14, timeouts.toArray(new byte[0][])),
                nlaU32(15, 0), nlaU32(16, 0), nlaU32(17, 0), nlaU32(74, 0), nlaU32(18, 0), nlaU32(19, 0),
                nlaU16(83, 0),
                nlaU16(20, 0), nlaU16(21, 0), nlaU32(22, 0),
                nlaU32(23, def.nr()), nlaU32(24, 0), nlaU32(25, 0), nlaU32(26, pf.kernel().loaderPid()),
                nlaU16(27, 0), nlaU16(28, 0), nlaU16(28, 0),         // RETURN_ICMP6 twice, as pf_nl.c writes it
                nlaU16(29, 0), nlaU16(30, 0),
                uid(31), uid(32),
                nlaStr(73, ""), nlaU8(78, 0),
                nlaU32(33, 0), nlaU8(34, def.action()), nlaU8(35, def.direction()), nlaU8(36, def.log() ? 1 : 0),
                nlaU8(37, 0), nlaU8(38, def.quick() ? 1 : 0), nlaU8(39, 0), nlaU8(40, 0), nlaU8(41, 0),
                nlaU8(42, def.keepState() ? 1 : 0),
                nlaU8(43, def.af() == 24 ? 28 : def.af()), nlaU8(76, 0), nlaU8(44, def.proto()),
                nlaU8(45, 0), nlaU8(46, 0), nlaU16(84, 0), nlaU16(85, 0),
                nlaU8(47, tcpState ? 0x02 : 0), nlaU8(48, tcpState ? 0x12 : 0),
                nlaU8(49, 0), nlaU8(50, 0), nlaU8(51, 0), nlaU8(52, 0), nlaU8(53, 0), nlaU8(54, 0), nlaU8(55, 0),
                nlaU8(56, 0), nlaU8(57, 0), nlaU8(58, 0), nlaU8(59, 0), nlaU8(60, 0),
                nla(61, new byte[16]), nlaU16(62, 0),
                nlaU64(63, c.packetsIn()), nlaU64(64, c.packetsOut()), nlaU64(65, c.bytesIn()), nlaU64(66, c.bytesOut()),
                nlaU64(67, c.evaluations()), nlaU64(68, c.evaluations() == 0 ? 0 : pf.kernel().nowEpoch()),
                nlaU64(69, c.statesCur()), nlaU64(70, c.statesTotal()), nlaU64(71, c.srcNodes()),
                nlaU64(79, c.srcNodes()), nlaU64(80, 0), nlaU64(81, 0),
                nested(82, nlaU32(1, 0), nlaU32(2, 0), nlaU32(3, 0)),
                nlaU64(86, pf.kernel().bootEpoch()),               // time_t exptime
                nlaStr(72, def.anchorCall()));
        assertThat(HexFormat.of().formatHex(got)).isEqualTo(HexFormat.of().formatHex(concat(rule, ack(request, 2, pid))));

        PfnlRule decoded = PfnlRule.decode(NetlinkMessage.parseAll(got).get(0));
        assertThat(decoded.labels()).containsExactlyElementsOf(pf.ruleLabels(i));
        assertThat(decoded.ridentifier()).isEqualTo(pf.ridentifier(i));
        assertThat(decoded.bytesIn()).isEqualTo(c.bytesIn());
        assertThat(decoded.labelRows("")).hasSize(2);
    }
}
