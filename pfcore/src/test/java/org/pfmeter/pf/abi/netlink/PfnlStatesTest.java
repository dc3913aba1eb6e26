package org.pfmeter.pf.abi.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.pf.abi.netlink.HandFrame.concat;
import static org.pfmeter.pf.abi.netlink.HandFrame.done;
import static org.pfmeter.pf.abi.netlink.HandFrame.genlmsg;
import static org.pfmeter.pf.abi.netlink.HandFrame.nested;
import static org.pfmeter.pf.abi.netlink.HandFrame.nla;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaStr;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU16;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU32;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU64;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU8;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlmsgerr;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.PfsyncState;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.StateTableBreakdown;
import org.pfmeter.pf.model.TcpState;
import org.pfmeter.pf.states.StateBreakdownReader;

/**
 * PFNL_CMD_GETSTATES (1) decoded from state messages built by hand in dump_state()'s order from
 * pf_nl.h's numbers (pfstate_type_t, pfstate_key_type_t, pfstate_peer_type_t, as literals): the
 * rewrite into OpenBSD's pfsync_state and the breakdown over a multipart dump.
 */
class PfnlStatesTest {

    static final int FAMILY = FreeBsdPfReaderTest.FAMILY;

    /** Ports as the kernel keeps them (network order) and nlattr_add_u16 copies them. */
    static int wirePort(int port) {
        return Short.toUnsignedInt(Short.reverseBytes((short) port));
    }

    static byte[] peer(int type, int state) {
        return nested(type, nlaU32(5, 1), nlaU32(6, 2), nlaU32(7, 0), nlaU16(8, 65535), nlaU16(9, 1460),
                nlaU8(10, state), nlaU8(11, 7));
    }

    static byte[] key(int type, int af, byte[] a0, byte[] a1, int p0, int p1, int proto) {
        return nested(type, nla(1, a0), nla(2, a1), nlaU16(3, wirePort(p0)), nlaU16(4, wirePort(p1)), nlaU8(5, af),
                nlaU16(6, proto));
    }

    /** One state message in dump_state()'s order, a 16-bit u16 PF_ST_STATE_FLAGS and a u64 PF_ST_ID as written. */
    static byte[] state(long seq, long id, int af, byte[] src, byte[] dst, int proto, int dir, long rule, long anchor,
            long age, long bytes0, long bytes1, int srcState, int dstState, String ifname) {
        // the wire key holds the packet's source at index 0 for an inbound state, 1 for an outbound one
        byte[] a0 = dir == 2 ? dst : src;
        byte[] a1 = dir == 2 ? src : dst;
        return genlmsg(FAMILY, 0x2 | 0x5 | 0x300, seq, 1, nlaU64(28, 20_230_502),
                key(5, af, a0, a1, 40000, 443, proto), key(6, af, a0, a1, 40000, 443, proto),
                nlaU8(21, proto), nlaU8(19, af), nlaStr(3, ifname), nlaStr(4, ifname),
                nlaU32(13, age), nlaU32(14, 30), nlaU8(22, dir), nlaU8(23, 0), nlaU8(24, 2), nlaU16(25, 0),
                nlaU8(26, 0), nlaU64(1, id), nlaU32(2, 0x01020304), nlaU32(10, rule), nlaU32(11, anchor),
                nlaU32(12, 0xffffffffL), nlaU64(15, 3), nlaU64(16, 4), nlaU64(17, bytes0), nlaU64(18, bytes1),
                nlaU32(31, 0), nlaU8(32, 0), nlaU16(33, 0), nlaU16(34, 0), nlaU16(35, 0), nlaU8(36, 0), nlaU8(38, 0),
                nlaU8(39, 0), peer(7, srcState), peer(8, dstState));
    }

    static final byte[] V4_CLIENT = HexFormat.of().parseHex("c6120005");          // 198.18.0.5
    static final byte[] V4_SERVER = HexFormat.of().parseHex("0a010001");          // 10.1.0.1
    static final byte[] V6_CLIENT = HexFormat.of().parseHex("20010db8000000000000000000000005");
    static final byte[] V6_SERVER = HexFormat.of().parseHex("20010db8000100000000000000000001");

    @Test
    void theDumpRequestHasNoFilter() {
        assertThat(PfnlStates.request(FAMILY, 3)).isEqualTo(genlmsg(FAMILY, 0x305, 3, 1));
    }

    @Test
    void aStateIsRewrittenIntoOpenBsdsLayout() {
        PfnlStates.Decoder d = new PfnlStates.Decoder();
        List<Integer> bases = new ArrayList<>();
        d.decode(NetlinkMessage.parseAll(state(1, 77, 28, V6_CLIENT, V6_SERVER, 6, 2, 4, 0xffffffffL, 125,
                5_000_000_000L, 7, 4, 4, "em0")).get(0), (b, base) -> bases.add(base));
        assertThat(bases).containsExactly(0);
        ByteBuffer b = d.scratch();
        PfsyncState c = d.layout();
        assertThat(c.af(b, 0)).as("FreeBSD's AF_INET6 28 as OpenBSD's 24").isEqualTo(24);
        assertThat(c.proto(b, 0)).isEqualTo(6);
        assertThat(c.direction(b, 0)).isEqualTo(PfsyncState.PF_OUT);
        assertThat(c.rule(b, 0)).isEqualTo(4);
        assertThat(c.anchor(b, 0)).isEqualTo(PfsyncState.NO_RULE);
        assertThat(c.creation(b, 0)).isEqualTo(125);
        assertThat(c.expire(b, 0)).isEqualTo(30);
        assertThat(c.bytes(b, 0, 0)).isEqualTo(5_000_000_000L);
        assertThat(c.bytesBothWays(b, 0)).isEqualTo(5_000_000_007L);
        assertThat(c.packets(b, 0, 1)).isEqualTo(4);
        assertThat(c.ifname(b, 0)).isEqualTo("em0");
        assertThat(c.srcState(b, 0)).isEqualTo(4);
        byte[] addr = new byte[16];
        b.get(c.wireAddr(0, PfsyncState.sourceIndex(PfsyncState.PF_OUT)), addr);
        assertThat(addr).isEqualTo(V6_CLIENT);
        assertThat(c.wirePort(b, 0, 0)).as("PF_STK_PORT0, network order kept").isEqualTo(40000);
        assertThat(c.wirePort(b, 0, 1)).isEqualTo(443);
        assertThat(d.decoded()).isEqualTo(1);
    }

    /** A kernel answering GET_STATUS with the table's size and GETSTATES with the states, two a datagram. */
    static List<byte[]> kernel(NetlinkMessage r, List<byte[]> states) {
        long seq = r.seq();
        if (r.type() == 16) {
            return new FreeBsdPfReaderTest.Kernel().answer(r);
        }
        return switch (r.genlCmd()) {
            case 11 -> FreeBsdPfReaderTest.Kernel.acked(seq, genlmsg(FAMILY, 0, seq, 11, nlaU32(6, states.size())));
            case 1 -> {
                List<byte[]> out = new ArrayList<>();
                List<byte[]> now = new ArrayList<>();
                for (byte[] s : states) {
                    now.add(s);
                    if (now.size() == 2) {
                        out.add(concat(now.toArray(new byte[0][])));
                        now.clear();
                    }
                }
                now.add(done(seq, 0));
                out.add(concat(now.toArray(new byte[0][])));
                yield out;
            }
            default -> List.of(nlmsgerr(seq, 45, FAMILY));
        };
    }

    static List<byte[]> threeStates(long seq) {
        return List.of(
                state(seq, 1, 2, V4_CLIENT, V4_SERVER, 6, 1, 0, 0xffffffffL, 10, 100, 200, 4, 4, "em0"),
                state(seq, 2, 2, V4_CLIENT, V4_SERVER, 17, 2, 1, 0xffffffffL, 400, 1000, 0, 2, 1, "em1"),
                state(seq, 3, 28, V6_CLIENT, V6_SERVER, 6, 2, 0, 0xffffffffL, 90_000, 5, 5, 2, 0, "em0"));
    }

    @Test
    void aDumpIsBrokenDownWithoutKeepingTheStates() {
        ScriptedNetlinkSocket sock = new ScriptedNetlinkSocket(r -> kernel(r, threeStates(r.seq())));
        StateBreakdownReader reader = new StateBreakdownReader(new PfnlStateTable(sock), FreeBsdPfReaderTest.CLOCK, 1024);
        StateBreakdownReader.Outcome o = reader.read(null, 1_000, 5);

        assertThat(o).isInstanceOf(StateBreakdownReader.Read.class);
        StateTableBreakdown b = ((StateBreakdownReader.Read) o).breakdown();
        assertThat(b.states()).isEqualTo(3);
        assertThat(b.unattributed()).as("no rules given: nothing to name the rule numbers by").isEqualTo(3);
        assertThat(b.byInterface()).containsEntry("em0", 2L).containsEntry("em1", 1L);
        assertThat(b.byProtocol()).containsEntry(new StateTableBreakdown.ProtocolFamily("tcp", "inet"), 1L)
                .containsEntry(new StateTableBreakdown.ProtocolFamily("udp", "inet"), 1L)
                .containsEntry(new StateTableBreakdown.ProtocolFamily("tcp", "inet6"), 1L);
        // an inbound state's peers are printed dst:src, an outbound one's src:dst
        assertThat(b.byTcpState()).containsEntry(TcpState.pair(4, 4), 1L).containsEntry(TcpState.pair(2, 0), 1L);
        assertThat(b.age().counts()).containsExactly(1L, 0L, 1L, 0L, 0L, 0L, 1L);
        assertThat(b.sources().byStates().get(0).address()).isEqualTo("198.18.0.5");
        assertThat(b.sources().byStates().get(0).states()).isEqualTo(2);
        assertThat(b.sources().byBytes().get(0).bytes()).isEqualTo(1300);
        assertThat(b.destinations().byStates()).extracting(StateTableBreakdown.AddressCount::address)
                .contains("2001:db8:1::1");
        assertThat(sock.sent()).containsExactly("16/3", FAMILY + "/11", FAMILY + "/1");
    }

    @Test
    void aTableAboveTheBoundIsSkippedAfterTheStatusAlone() {
        ScriptedNetlinkSocket sock = new ScriptedNetlinkSocket(r -> kernel(r, threeStates(r.seq())));
        StateBreakdownReader.Outcome o = new StateBreakdownReader(new PfnlStateTable(sock), FreeBsdPfReaderTest.CLOCK, 16)
                .read(null, 2, 5);
        assertThat(o).isEqualTo(new StateBreakdownReader.Skipped(o.at(), 3, 2));
        assertThat(sock.sent()).doesNotContain(FAMILY + "/1");
    }

    @Test
    void anErrnoFailsTheReadWithTheErrorKind() {
        ScriptedNetlinkSocket sock = new ScriptedNetlinkSocket(r -> r.type() == 16 ? new FreeBsdPfReaderTest.Kernel().answer(r)
                : List.of(nlmsgerr(r.seq(), 1, FAMILY)));                               // EPERM
        StateBreakdownReader.Outcome o = new StateBreakdownReader(new PfnlStateTable(sock), FreeBsdPfReaderTest.CLOCK, 16)
                .read(null, 1_000, 5);
        assertThat(((StateBreakdownReader.Failed) o).error().kind()).isEqualTo(PfError.Kind.PERMISSION);
    }

    @Test
    void aDumpEndingWithAnErrnoFailsAfterItsStatesWereSeen() {
        ScriptedNetlinkSocket sock = new ScriptedNetlinkSocket(r -> {
            if (r.type() == 16 || r.genlCmd() == 11) {
                return kernel(r, threeStates(r.seq()));
            }
            List<byte[]> s = threeStates(r.seq());
            return List.of(concat(s.get(0), s.get(1)), done(r.seq(), 12));               // ENOMEM: nlmsg_end_dump(error)
        });
        StateBreakdownReader.Outcome o = new StateBreakdownReader(new PfnlStateTable(sock), FreeBsdPfReaderTest.CLOCK, 16)
                .read(null, 1_000, 5);
        PfError e = ((StateBreakdownReader.Failed) o).error();
        assertThat(e.errno()).isEqualTo(12);
        assertThat(e.ioctl()).isEqualTo("PFNL_CMD_GETSTATES");
    }

    @Test
    void theIndexChecksWhatNlAttrsChecks() {
        PfnlStates.Decoder d = new PfnlStates.Decoder();
        byte[] badPadding = new HandFrame().u16(5).u16(21).u8(6).u8(0).u8(0xee).u8(0).bytes();   // PF_ST_PROTO, padding 0xee
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.decode(NetlinkMessage.parseAll(
                genlmsg(FAMILY, 2, 1, 1, badPadding)).get(0), (b, base) -> { }))
                .isInstanceOf(org.pfmeter.pf.abi.MalformedAnswerException.class).hasMessageContaining("padding");
        byte[] wideAf = nlaU16(19, 28);                                                             // PF_ST_AF is a u8
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.decode(NetlinkMessage.parseAll(
                genlmsg(FAMILY, 2, 1, 1, wideAf)).get(0), (b, base) -> { }))
                .isInstanceOf(org.pfmeter.pf.abi.MalformedAnswerException.class).hasMessageContaining("PF_ST_AF");
        byte[] noKey = concat(nlaU8(19, 2), nlaStr(3, "em0"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.decode(NetlinkMessage.parseAll(
                genlmsg(FAMILY, 2, 1, 1, noKey)).get(0), (b, base) -> { }))
                .isInstanceOf(org.pfmeter.pf.abi.MalformedAnswerException.class).hasMessageContaining("no PF_ST_KEY_WIRE");
        assertThat(d.decoded()).isZero();
    }

    /** Every byte after the message header, set to 0xff or 0x00 in turn: a state decodes or is malformed, nothing else. */
    @Test
    void aDamagedStateIsMalformedOrDecodesNeverAnotherException() {
        byte[] good = state(1, 9, 28, V6_CLIENT, V6_SERVER, 6, 2, 4, 1, 125, 10, 20, 4, 4, "em0");
        PfnlStates.Decoder d = new PfnlStates.Decoder();
        int malformed = 0;
        for (int i = 16; i < good.length; i++) {
            for (int v : new int[] {0xff, 0x00}) {
                byte[] bad = good.clone();
                bad[i] = (byte) v;
                try {
                    d.decode(NetlinkMessage.parseAll(bad).get(0), (b, base) -> { });
                } catch (org.pfmeter.pf.abi.MalformedAnswerException e) {
                    malformed++;
                }
            }
        }
        assertThat(malformed).as("most damage is noticed").isGreaterThan(good.length / 2);
    }

    @Test
    void aStateWithAnUnknownFamilyIsMalformed() {
        ScriptedNetlinkSocket sock = new ScriptedNetlinkSocket(r -> kernel(r, List.of(
                state(r.seq(), 1, 7, V4_CLIENT, V4_SERVER, 6, 1, 0, 0, 1, 1, 1, 4, 4, "em0"))));
        StateBreakdownReader.Outcome o = new StateBreakdownReader(new PfnlStateTable(sock), FreeBsdPfReaderTest.CLOCK, 16)
                .read(null, 1_000, 5);
        PfError e = ((StateBreakdownReader.Failed) o).error();
        assertThat(e.kind()).isEqualTo(PfError.Kind.MALFORMED);
        assertThat(e.message()).contains("PF_ST_AF 7");
    }
}
