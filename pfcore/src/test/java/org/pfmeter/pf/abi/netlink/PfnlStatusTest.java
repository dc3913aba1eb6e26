package org.pfmeter.pf.abi.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pfmeter.pf.abi.netlink.HandFrame.concat;
import static org.pfmeter.pf.abi.netlink.HandFrame.genlmsg;
import static org.pfmeter.pf.abi.netlink.HandFrame.nested;
import static org.pfmeter.pf.abi.netlink.HandFrame.nla;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaStr;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU32;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU64;
import static org.pfmeter.pf.abi.netlink.HandFrame.nlaU8;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.MalformedAnswerException;
import org.pfmeter.pf.model.Action;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.EnumCounters;
import org.pfmeter.pf.model.LimitCounter;
import org.pfmeter.pf.model.NamedCounters;
import org.pfmeter.pf.model.Reason;
import org.pfmeter.pf.model.SinceClock;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.TableOperation;

/**
 * A GET_STATUS reply built by hand in the order {@code pf_handle_get_status} writes it (15-based
 * pf_nl.c 74a16333), with FreeBSD's name tables (PFRES_NAMES and LCNT_NAMES of sys/netpfil/pf/pf.h,
 * FCNT names for both operation tables).
 */
class PfnlStatusTest {

    /** PFRES_NAMES, FreeBSD, in PFRES_* order. */
    static final List<String> PFRES = List.of("match", "bad-offset", "fragment", "short", "normalize", "memory",
            "bad-timestamp", "congestion", "ip-option", "proto-cksum", "state-mismatch", "state-insert",
            "state-limit", "src-limit", "synproxy", "map-failed");
    /** LCNT_NAMES, FreeBSD. */
    static final List<String> LCNT = List.of("max states per rule", "max-src-states", "max-src-nodes",
            "max-src-conn", "max-src-conn-rate", "overload table insertion", "overload flush states");
    static final List<String> FCNT = List.of("searches", "inserts", "removals");

    static byte[] counter(int type, int id, String name, long value) {
        // nlattr_add_counters: PF_C_ID, PF_C_NAME, PF_C_COUNTER inside one nested attribute per counter
        return nested(type, nlaU32(3, id), nlaStr(2, name), nlaU64(1, value));
    }

    static byte[] table(int type, List<String> names, long base) {
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            parts.add(counter(type, i, names.get(i), base + i));
        }
        return concat(parts.toArray(new byte[0][]));
    }

    static byte[] u64Array(int type, long... values) {
        List<byte[]> parts = new ArrayList<>();
        for (long v : values) {
            parts.add(nlaU64(0, v));
        }
        return nested(type, parts.toArray(new byte[0][]));
    }

    static final byte[] CHKSUM = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

    static byte[] reply(byte[]... extra) {
        return genlmsg(23, 0x305, 11, 11, concat(
                nlaStr(1, "em0"),                       // PF_GS_IFNAME
                nlaU8(2, 1),                            // PF_GS_RUNNING (bool, one byte)
                nlaU32(3, 1_764_000_000L),              // PF_GS_SINCE, wall-clock
                nlaU32(4, 1),                           // PF_GS_DEBUG
                nlaU32(5, 0xdeadbeefL),                 // PF_GS_HOSTID
                nlaU32(6, 4321),                        // PF_GS_STATES
                nlaU32(7, 12),                          // PF_GS_SRC_NODES
                nlaU32(8, 1),                           // PF_GS_REASSEMBLE
                nlaU32(9, 0),                           // PF_GS_SYNCOOKIES_ACTIVE, a u32
                table(10, PFRES, 1000),
                table(11, LCNT, 2000),
                table(12, FCNT, 3000),
                table(13, FCNT, 4000),                  // PF_GS_SCOUNTERS, with the FCNT names
                u64Array(16, 1, 2, 3, 4),               // PF_GS_BCOUNTERS
                u64Array(15, 11, 12, 13, 14, 15, 16, 17, 18), // PF_GS_PCOUNTERS
                nla(14, CHKSUM),                        // PF_GS_CHKSUM
                concat(extra)));
    }

    static PfnlStatus decode(byte[] frame) {
        return PfnlStatus.decode(NetlinkMessage.parseAll(frame).get(0));
    }

    @Test
    void decodesEveryField() {
        PfnlStatus s = decode(reply());
        assertThat(s.ifname()).isEqualTo("em0");
        assertThat(s.running()).isTrue();
        assertThat(s.since()).isEqualTo(1_764_000_000L);
        assertThat(s.debug()).isEqualTo(1);
        assertThat(s.hostid()).isEqualTo(0xdeadbeefL);
        assertThat(s.states()).isEqualTo(4321);
        assertThat(s.srcNodes()).isEqualTo(12);
        assertThat(s.reass()).isEqualTo(1);
        assertThat(s.syncookiesActive()).isFalse();
        assertThat(s.counters()).hasSize(16);
        assertThat(s.counters().get(15)).isEqualTo(new NamedCounter(15, "map-failed", 1015));
        assertThat(s.limitCounters()).extracting(NamedCounter::name).containsExactlyElementsOf(LCNT);
        assertThat(s.srcNodeOperations()).extracting(NamedCounter::value).containsExactly(4000L, 4001L, 4002L);
        assertThat(s.fragmentOperations()).isEmpty();
        assertThat(s.bcounters()).containsExactly(1, 2, 3, 4);
        assertThat(s.pcounters()).containsExactly(11, 12, 13, 14, 15, 16, 17, 18);
        assertThat(s.checksum()).isEqualTo("00112233445566778899aabbccddeeff");
        assertThat(s.fragments()).isEmpty();
    }

    @Test
    void mainsFragmentCountersAndUnknownAttributesDoNoHarm() {
        PfnlStatus s = decode(reply(table(17, FCNT, 5000), nlaU64(18, 77), nlaU32(99, 1)));
        assertThat(s.fragmentOperations()).extracting(NamedCounter::value).containsExactly(5000L, 5001L, 5002L);
        assertThat(s.fragments()).hasValue(77);
    }

    @Test
    void countersGoToTheModelByTheKernelsNames() {
        PfnlStatus s = decode(reply());
        List<NamedCounter> unknown = new ArrayList<>();
        EnumCounters<Reason> reasons = PfnlStatus.byKernelName(Reason.class, s.counters(), unknown);
        assertThat(reasons.get(Reason.MATCH)).isEqualTo(1000);
        assertThat(reasons.get(Reason.SYNPROXY)).isEqualTo(1014);
        assertThat(reasons.get(Reason.TRANSLATE)).as("OpenBSD only").isZero();
        assertThat(unknown).as("FreeBSD only: reported, not dropped").containsExactly(new NamedCounter(15, "map-failed", 1015));

        unknown.clear();
        EnumCounters<LimitCounter> limits = PfnlStatus.byKernelName(LimitCounter.class, s.limitCounters(), unknown);
        assertThat(limits.get(LimitCounter.OVERLOAD_FLUSH)).isEqualTo(2006);
        assertThat(limits.get(LimitCounter.SYNFLOODS)).isZero();
        assertThat(unknown).isEmpty();

        EnumCounters<TableOperation> srcOps = PfnlStatus.byKernelName(TableOperation.class, s.srcNodeOperations(), unknown);
        assertThat(srcOps.get(TableOperation.REMOVAL)).isEqualTo(4002);
    }

    @Test
    void namesNotPositionsDecide() {
        // the same counters in another wire order with their ids: the model still gets them right
        byte[] shuffled = genlmsg(23, 0, 1, 11, concat(nlaStr(1, ""), nlaU8(2, 0), nlaU32(3, 0), nlaU32(4, 0),
                nlaU32(5, 0), nlaU32(6, 0), nlaU32(7, 0), nlaU32(8, 0), nlaU32(9, 1),
                counter(12, 2, "removals", 30), counter(12, 0, "searches", 10), counter(12, 1, "inserts", 20),
                u64Array(16), u64Array(15), nla(14, CHKSUM)));
        PfnlStatus s = decode(shuffled);
        assertThat(s.syncookiesActive()).isTrue();
        EnumCounters<TableOperation> ops = PfnlStatus.byKernelName(TableOperation.class, s.stateOperations(), new ArrayList<>());
        assertThat(ops.toArray()).containsExactly(10, 20, 30);
    }

    @Test
    void requestAsLibpfctlSendsIt() {
        // no attributes: nlmsghdr (len 20, family 23, REQUEST|ACK|DUMP, seq 4) and genlmsghdr (cmd 11)
        assertThat(HexFormat.of().formatHex(PfnlStatus.request(23, 4)))
                .isEqualTo("14000000" + "1700" + "0503" + "04000000" + "00000000" + "0b000000");
    }

    @Test
    void malformedReplies() {
        byte[] noStates = genlmsg(23, 0, 1, 11, nlaStr(1, "em0"), nlaU8(2, 1));
        assertThatThrownBy(() -> decode(noStates))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("no PF_GS_SINCE attribute");
        byte[] repeated = reply(counter(10, 3, "short", 1));
        assertThatThrownBy(() -> decode(repeated))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("PF_GS_COUNTERS repeats counter 3 \"short\"");
        byte[] shortSum = genlmsg(23, 0, 1, 11, nlaStr(1, ""), nlaU8(2, 0), nlaU32(3, 0), nlaU32(4, 0), nlaU32(5, 0),
                nlaU32(6, 0), nlaU32(7, 0), nlaU32(8, 0), nlaU32(9, 0), u64Array(16), u64Array(15), nla(14, new byte[8]));
        assertThatThrownBy(() -> decode(shortSum))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("has 8 byte(s) of payload, a 16-byte value has 16");
        byte[] otherCmd = genlmsg(23, 0, 1, 7, nlaStr(1, "em0"));
        assertThatThrownBy(() -> decode(otherCmd))
                .isInstanceOf(MalformedAnswerException.class).hasMessageContaining("genlmsghdr.cmd is 7, not 11");
    }

    @Test
    void mapsToTheModelWithFreeBsdsOwnTablesAndNothingInvented() {
        Status st = decode(reply()).toStatus();
        assertThat(st.counters()).isInstanceOf(NamedCounters.class);
        assertThat(((NamedCounters) st.counters()).names()).containsExactlyElementsOf(PFRES);
        assertThat(st.counters().find("map-failed")).hasValue(1015);
        assertThat(st.counters().get(Reason.STATE_MISMATCH)).isEqualTo(1010);
        assertThat(st.counters().find("translate")).as("OpenBSD only: absent, not 0").isEmpty();
        assertThat(st.counters().find("no-route")).isEmpty();
        assertThat(st.limitCounters().size()).isEqualTo(7);
        assertThat(st.limitCounters().get(LimitCounter.OVERLOAD_FLUSH)).isEqualTo(2006);
        assertThat(st.limitCounters().find("synfloods detected")).isEmpty();
        assertThat(st.stateOperations().toArray()).containsExactly(3000, 3001, 3002);
        assertThat(st.srcNodeOperations().toArray()).containsExactly(4000, 4001, 4002);
        assertThat(st.fragmentOperations().isEmpty()).as("no PF_GS_NCOUNTERS before main").isTrue();
        assertThat(st.fragments()).isEmpty();
        assertThat(st.stateid()).isEmpty();
        assertThat(st.statesHalfopen()).isEmpty();
        assertThat(st.syncookiesMode()).isEmpty();
        assertThat(st.syncookiesInflightTotal()).isEmpty();
        assertThat(st.syncookieHiwat()).isEmpty();
        assertThat(st.syncookieLowat()).isEmpty();
        assertThat(st.states()).isEqualTo(4321);
        assertThat(st.srcNodes()).isEqualTo(12);
        assertThat(st.running()).isTrue();
        assertThat(st.debug()).isEqualTo(1);
        assertThat(st.checksum()).isEqualTo("00112233445566778899aabbccddeeff");
        // PF_GS_HOSTID arrives in host order; the model keeps OpenBSD's network order, printed via ntohl
        assertThat(st.hostid()).isEqualTo(0xefbeaddeL);
        assertThat(String.format("0x%08x", Integer.reverseBytes((int) st.hostid()))).isEqualTo("0xdeadbeef");
        assertThat(st.since()).isEqualTo(1_764_000_000L);
        assertThat(st.sinceClock()).isEqualTo(SinceClock.WALL_CLOCK);
    }

    @Test
    void theLogInterfaceMatrixIsAfDirectionAction() {
        // pcounters 2x2x2 = 11..18 as [af][dir][action]; bcounters 2x2 = 1..4 as [af][dir]
        Status st = decode(reply()).toStatus();
        assertThat(st.logInterface().ifname()).isEqualTo("em0");
        assertThat(st.logInterface().counters().packets(AddressFamily.INET, Direction.IN, Action.PASS)).isEqualTo(11);
        assertThat(st.logInterface().counters().packets(AddressFamily.INET, Direction.OUT, Action.BLOCK)).isEqualTo(14);
        assertThat(st.logInterface().counters().packets(AddressFamily.INET6, Direction.IN, Action.BLOCK)).isEqualTo(16);
        assertThat(st.logInterface().counters().packets(AddressFamily.INET6, Direction.OUT, Action.PASS)).isEqualTo(17);
        assertThat(st.logInterface().bytes(AddressFamily.INET, Direction.IN)).isEqualTo(1);
        assertThat(st.logInterface().bytes(AddressFamily.INET, Direction.OUT)).isEqualTo(2);
        assertThat(st.logInterface().bytes(AddressFamily.INET6, Direction.IN)).isEqualTo(3);
        assertThat(st.logInterface().bytes(AddressFamily.INET6, Direction.OUT)).isEqualTo(4);

        // the 2x2x3 layout of struct pf_status: the third action slot is skipped
        byte[] wide = genlmsg(23, 0, 1, 11, concat(nlaStr(1, "em1"), nlaU8(2, 1), nlaU32(3, 5), nlaU32(4, 0),
                nlaU32(5, 0), nlaU32(6, 0), nlaU32(7, 0), nlaU32(8, 0), nlaU32(9, 0),
                u64Array(16, 1, 2, 3, 4), u64Array(15, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31), nla(14, CHKSUM)));
        Status w = decode(wide).toStatus();
        assertThat(w.logInterface().counters().packets(AddressFamily.INET, Direction.OUT, Action.PASS)).isEqualTo(23);
        assertThat(w.logInterface().counters().packets(AddressFamily.INET6, Direction.OUT, Action.BLOCK)).isEqualTo(30);
        assertThat(w.since()).isEqualTo(5);
        assertThat(w.sinceClock()).as("an uptime-based PF_GS_SINCE (older revisions)").isEqualTo(SinceClock.UPTIME);

        byte[] odd = genlmsg(23, 0, 1, 11, concat(nlaStr(1, "em1"), nlaU8(2, 1), nlaU32(3, 5), nlaU32(4, 0),
                nlaU32(5, 0), nlaU32(6, 0), nlaU32(7, 0), nlaU32(8, 0), nlaU32(9, 0),
                u64Array(16, 1, 2, 3, 4), u64Array(15, 1, 2, 3), nla(14, CHKSUM)));
        assertThatThrownBy(() -> decode(odd).toStatus()).isInstanceOf(MalformedAnswerException.class)
                .hasMessageContaining("PF_GS_PCOUNTERS has 3 elements");
    }

    @Test
    void tablesFollowTheKernelsIdsNotTheWireOrder() {
        byte[] shuffled = reply(table(17, List.of(), 0), counter(17, 2, "removals", 30), counter(17, 0, "searches", 10),
                counter(17, 1, "inserts", 20), nlaU64(18, 9));
        Status st = decode(shuffled).toStatus();
        assertThat(((NamedCounters) st.fragmentOperations()).names()).containsExactly("searches", "inserts", "removals");
        assertThat(st.fragmentOperations().toArray()).containsExactly(10, 20, 30);
        assertThat(st.fragments()).as("main's PF_GS_FRAGMENTS").hasValue(9);
    }
}
