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

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.pfmeter.pf.FreeBsdPfReader;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.Limits;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfLimit;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.PfTimeout;
import org.pfmeter.pf.model.SinceClock;
import org.pfmeter.pf.model.SourceNodeKind;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.Subsystem;
import org.pfmeter.pf.model.TableStats;

/**
 * The FreeBSD reader against a scripted kernel that answers with hand-built frames as pf_nl.c and
 * netlink_generic.c write them: family resolution, single answers with their ACK, multipart dumps
 * ending in NLMSG_DONE (split over datagrams), errnos, and commands the kernel lacks.
 */
class FreeBsdPfReaderTest {

    static final int FAMILY = 23;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);
    /** The commands of a 15-based pfSense kernel (1-30: no limiters). */
    static final Set<Integer> PFSENSE_15 = range(1, 30);

    static Set<Integer> range(int from, int to) {
        Set<Integer> s = new HashSet<>();
        for (int i = from; i <= to; i++) {
            s.add(i);
        }
        return s;
    }

    /** A scripted pf: what each command answers; fields let a test change one answer. */
    static final class Kernel {
        Set<Integer> ops = PFSENSE_15;
        boolean registered = true;
        long[] limits = {200_000, 10_000, 5_000, 400_000};      // states, src-nodes, frags, table-entries
        List<Long> sinces = new ArrayList<>(List.of(1_764_000_000L));
        int statusErrno;
        int busyRules;                                          // GETRULE answers EBUSY this many times
        int polls;

        List<byte[]> answer(NetlinkMessage r) {
            long seq = r.seq();
            if (r.type() == 16) {
                if (!registered) {
                    return List.of(nlmsgerr(seq, 2, 16));                                  // ENOENT
                }
                List<byte[]> ops = new ArrayList<>();
                int i = 1;
                for (int cmd : new java.util.TreeSet<>(this.ops)) {
                    ops.add(nested(i++, nlaU32(1, cmd), nlaU32(2, 0xf)));
                }
                return List.of(concat(genlmsg(16, 0, seq, 1, nlaStr(2, "pfctl"), nlaU16(1, FAMILY), nlaU32(3, 1),
                        nlaU32(4, 0), nlaU32(5, 100), nested(6, ops.toArray(new byte[0][]))), nlmsgerr(seq, 0, 16)));
            }
            NlAttrs a = r.attributes("request");
            return switch (r.genlCmd()) {
                case 11 -> statusErrno != 0 ? List.of(nlmsgerr(seq, statusErrno, FAMILY))
                        : acked(seq, status(seq, sinces.get(Math.min(polls++, sinces.size() - 1))));
                case 18 -> {
                    int index = (int) a.required(1, "PF_LI_INDEX").u32();
                    yield index < limits.length ? acked(seq, genlmsg(FAMILY, 0, seq, 18, nlaU32(2, limits[index])))
                            : List.of(nlmsgerr(seq, 22, FAMILY));                         // EINVAL past PF_LIMIT_MAX
                }
                case 16 -> acked(seq, genlmsg(FAMILY, 0, seq, 16, nlaU32(2, 100 + a.required(1, "PF_TO_TIMEOUT").u32())));
                case 23 -> acked(seq, genlmsg(FAMILY, 0, seq, 23,
                        nlaU32(2, a.required(1, "PF_RS_PATH").string().isEmpty() ? 1 : 0)));   // one anchor: "ext"
                case 24 -> acked(seq, genlmsg(FAMILY, 0, seq, 24, nlaStr(3, "ext")));
                case 6 -> acked(seq, genlmsg(FAMILY, 0, seq, 6,
                        nlaU32(3, a.required(1, "PF_GR_ANCHOR").string().isEmpty() ? 2 : 1), nlaU32(4, 77)));
                case 7 -> {
                    if (busyRules > 0) {
                        busyRules--;
                        yield List.of(nlmsgerr(seq, 16, FAMILY));                         // EBUSY: stale ticket
                    }
                    String anchor = a.required(1, "PF_GR_ANCHOR").string();
                    long nr = a.required(3, "PF_GR_NR").u32();
                    yield acked(seq, rule(seq, nr, anchor.isEmpty() && nr == 0 ? List.of("web", "all")
                            : anchor.isEmpty() ? List.of() : List.of("web"), 1000 + nr, anchor.isEmpty() && nr == 0 ? 2 : 0));
                }
                case 29 -> List.of(                                                       // two tables, then DONE
                        concat(PfnlTablesTestFrames.table(seq, "", "blocklist", 3), PfnlTablesTestFrames.table(seq, "ext", "allow", 1)),
                        done(seq, 0));
                case 25 -> List.of(concat(node(seq, 0, 5, 0), node(seq, 0, 7, 1)), done(seq, 0));
                default -> List.of(nlmsgerr(seq, 45, FAMILY));                            // EOPNOTSUPP
            };
        }

        static List<byte[]> acked(long seq, byte[] message) {
            return List.of(concat(message, nlmsgerr(seq, 0, FAMILY)));
        }
    }

    static byte[] status(long seq, long since) {
        return genlmsg(FAMILY, 0, seq, 11, concat(
                nlaStr(1, "em0"), nlaU8(2, 1), nlaU32(3, since), nlaU32(4, 1), nlaU32(5, 0x01020304L),
                nlaU32(6, 321), nlaU32(7, 2), nlaU32(8, 0), nlaU32(9, 0),
                PfnlStatusTest.table(10, PfnlStatusTest.PFRES, 1000), PfnlStatusTest.table(11, PfnlStatusTest.LCNT, 2000),
                PfnlStatusTest.table(12, PfnlStatusTest.FCNT, 3000), PfnlStatusTest.table(13, PfnlStatusTest.FCNT, 4000),
                PfnlStatusTest.u64Array(16, 1, 2, 3, 4), PfnlStatusTest.u64Array(15, 1, 2, 3, 4, 5, 6, 7, 8),
                nla(14, PfnlStatusTest.CHKSUM)));
    }

    static byte[] rule(long seq, long nr, List<String> labels, long bytes, long srcNodes) {
        List<byte[]> l = new ArrayList<>();
        for (String s : labels) {
            l.add(nlaStr(1, s));
        }
        return genlmsg(FAMILY, 0, seq, 7, nlaU32(3, 0), nested(4, l.toArray(new byte[0][])), nlaU32(23, nr),
                nlaU64(63, 1), nlaU64(64, 2), nlaU64(65, bytes), nlaU64(66, 2 * bytes), nlaU64(67, 5),
                nlaU64(69, 0), nlaU64(70, 3), nlaU64(71, srcNodes));
    }

    static byte[] node(long seq, long ruleNr, long states, int type) {
        byte[] addr = new byte[16];
        addr[0] = (byte) 192;
        addr[3] = (byte) states;
        return genlmsg(FAMILY, 0x2, seq, 25, nla(1, addr), nla(2, new byte[16]), nlaU32(3, ruleNr),
                nlaU64(4, 1), nlaU64(5, 1), nlaU64(6, 1), nlaU64(7, 1), nlaU32(8, states), nlaU32(9, 0),
                nlaU8(10, 2), nlaU8(11, 0), nlaU64(12, 60), nlaU64(13, 0), nlaU8(16, type));
    }

    static FreeBsdPfReader reader(Kernel k, ScriptedNetlinkSocket[] socket) {
        socket[0] = new ScriptedNetlinkSocket(k::answer);
        return new FreeBsdPfReader(socket[0], CLOCK);
    }

    @Test
    void aPollReadsEverySubsystemTheKernelHas() {
        Kernel k = new Kernel();
        ScriptedNetlinkSocket[] sock = new ScriptedNetlinkSocket[1];
        PfSnapshot s = reader(k, sock).poll();

        assertThat(s.abiRelease()).isEqualTo("freebsd-netlink");
        assertThat(s.takenAt()).isEqualTo(CLOCK.instant());
        assertThat(sock[0].sent().get(0)).as("the family is resolved first").isEqualTo("16/3");
        Status st = s.status().value().orElseThrow();
        assertThat(st.states()).isEqualTo(321);
        assertThat(st.counters().find("map-failed")).hasValue(1015);
        assertThat(st.sinceClock()).isEqualTo(SinceClock.WALL_CLOCK);

        Limits l = s.limits().value().orElseThrow();
        assertThat(l.get(PfLimit.STATES)).isEqualTo(200_000);
        assertThat(l.get(PfLimit.TABLE_ENTRIES)).isEqualTo(400_000);
        assertThat(l.has(PfLimit.TABLES)).as("FreeBSD has no tables limit").isFalse();
        assertThat(s.timeouts().value().orElseThrow().get(PfTimeout.TS_DIFF)).isEqualTo(119);

        var rules = s.rules().value().orElseThrow();
        assertThat(rules.anchors()).containsExactly("", "ext");
        assertThat(rules.rules()).hasSize(4);                           // rule 0 twice (two labels), rule 1, ext's rule 0
        assertThat(rules.labels()).extracting(LabelCounters::key).extracting(Object::toString)
                .containsExactly("all", "web", "ext:web");              // (anchor, label), sorted
        LabelCounters web = rules.labels().stream().filter(x -> x.anchor().isEmpty() && x.label().equals("web")).findFirst().orElseThrow();
        assertThat(web.bytesIn()).isEqualTo(1000);                      // rule 0 only: rule 1 has no label

        List<TableStats> tables = s.tables().value().orElseThrow();
        assertThat(tables).extracting(TableStats::name).containsExactly("blocklist", "allow");
        assertThat(tables.get(1).anchor()).isEqualTo("ext");

        var nodes = s.sourceNodes().value().orElseThrow();
        assertThat(nodes.nodes()).isEqualTo(2);
        assertThat(nodes.nodes(SourceNodeKind.NAT)).isEqualTo(1);
        assertThat(nodes.top().get(0).label()).as("rule 0 holds the nodes; its first label").isEqualTo("web");

        assertThat(s.stateLimiters().isNotPresent()).isTrue();
        assertThat(((org.pfmeter.pf.model.SubsystemResult.NotPresent<?>) s.stateLimiters()).why())
                .contains("has no state limiters");
        assertThat(s.interfaces().isNotPresent()).isTrue();
        assertThat(s.errors()).isEmpty();
    }

    @Test
    void aCommandTheKernelLacksIsNotPresentAndNotAsked() {
        Kernel k = new Kernel();
        k.ops = range(1, 28);                                           // no GET_TSTATS (29)
        ScriptedNetlinkSocket[] sock = new ScriptedNetlinkSocket[1];
        PfSnapshot s = reader(k, sock).poll();
        assertThat(s.tables().isNotPresent()).isTrue();
        assertThat(s.result(Subsystem.TABLES).error()).isEmpty();
        assertThat(sock[0].sent()).doesNotContain(FAMILY + "/29");
        assertThat(s.status().isOk()).isTrue();
    }

    @Test
    void theLimitTableEndsWhereTheKernelSaysEinval() {
        Kernel k = new Kernel();
        k.limits = new long[] {1, 2, 3};                                // an older table: EINVAL at index 3
        PfSnapshot s = reader(k, new ScriptedNetlinkSocket[1]).poll();
        Limits l = s.limits().value().orElseThrow();
        assertThat(l.values().size()).isEqualTo(3);
        assertThat(l.has(PfLimit.TABLE_ENTRIES)).isFalse();
    }

    @Test
    void errnosBecomeTheErrorKinds() {
        Kernel k = new Kernel();
        k.statusErrno = 1;                                              // EPERM: no PRIV_NETINET_PF
        PfSnapshot s = reader(k, new ScriptedNetlinkSocket[1]).poll();
        PfError e = s.status().error().orElseThrow();
        assertThat(e.kind()).isEqualTo(PfError.Kind.PERMISSION);
        assertThat(e.ioctl()).isEqualTo("PFNL_CMD_GET_STATUS");
        assertThat(e.errnoName()).isEqualTo("EPERM");
        assertThat(e.message()).contains("PRIV_NETINET_PF");
        assertThat(s.rules().isOk()).as("one failing subsystem does not lose the others").isTrue();

        k.statusErrno = 45;                                             // EOPNOTSUPP although listed
        PfSnapshot t = reader(k, new ScriptedNetlinkSocket[1]).poll();
        assertThat(t.status().isNotPresent()).isTrue();
    }

    @Test
    void aChangingRulesetIsReadAgainThenReportedBusy() {
        Kernel k = new Kernel();
        k.busyRules = 2;
        assertThat(reader(k, new ScriptedNetlinkSocket[1]).poll().rules().isOk()).isTrue();

        Kernel always = new Kernel();
        always.busyRules = Integer.MAX_VALUE;
        PfError e = reader(always, new ScriptedNetlinkSocket[1]).poll().rules().error().orElseThrow();
        assertThat(e.kind()).isEqualTo(PfError.Kind.BUSY);
        assertThat(e.errno()).isEqualTo(16);
    }

    @Test
    void withoutThePfFamilyEverySubsystemSaysPfIsNotLoaded() {
        Kernel k = new Kernel();
        k.registered = false;
        PfSnapshot s = reader(k, new ScriptedNetlinkSocket[1]).poll();
        PfError e = s.status().error().orElseThrow();
        assertThat(e.kind()).isEqualTo(PfError.Kind.NO_DEVICE);
        assertThat(e.message()).contains("kldload pf");
        assertThat(s.rules().error()).contains(e);
        assertThat(s.tableAddresses().isNotPresent()).isTrue();
    }

    @Test
    void theSecondOfJitterInSinceIsNoRestart() {
        Kernel k = new Kernel();
        k.sinces = new ArrayList<>(List.of(1_764_000_000L, 1_764_000_001L, 1_764_000_000L, 1_764_003_600L));
        FreeBsdPfReader r = reader(k, new ScriptedNetlinkSocket[1]);
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seen.add(r.poll().status().value().orElseThrow().since());
        }
        assertThat(seen).containsExactly(1_764_000_000L, 1_764_000_000L, 1_764_000_000L, 1_764_003_600L);
        assertThat(r.family().orElseThrow().id()).as("resolved once").isEqualTo(FAMILY);
    }

    @Test
    void freeBsdErrnosArePinned() {
        // sys/sys/errno.h
        assertThat(List.of(FreeBsdErrno.EPERM, FreeBsdErrno.ENOENT, FreeBsdErrno.EACCES, FreeBsdErrno.EBUSY,
                FreeBsdErrno.EINVAL, FreeBsdErrno.EOPNOTSUPP)).containsExactly(1, 2, 13, 16, 22, 45);
    }
}
