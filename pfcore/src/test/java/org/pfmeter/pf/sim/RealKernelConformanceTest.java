package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.pf.abi.PfConstants.IFNAMSIZ;
import static org.pfmeter.pf.abi.PfConstants.PATH_MAX;
import static org.pfmeter.pf.abi.PfConstants.PF_ANCHOR_NAME_SIZE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfConstants;
import org.pfmeter.pf.abi.PfIoctl;

/**
 * Replays the read-ioctl inputs a real OpenBSD 8.0-beta kernel was given (test resources:
 * fixtures/openbsd-8.0-beta/real-kernel-8.0beta.json) against the simulator, which must answer with
 * the same rc/errno and an answer of the same shape. The simulated firewall is not the fixture's
 * (it has rules, anchors and more interfaces), so "shape" means the same rule applied to its state:
 * e.g. a truncated interface list is capacity − 1 real entries and the capacity.
 */
class RealKernelConformanceTest {

    private static final PfAbi ABI = AbiRelease.V8_0.abi();
    private static JsonNode calls;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = RealKernelConformanceTest.class.getResourceAsStream("/fixtures/openbsd-8.0-beta/real-kernel-8.0beta.json")) {
            assertThat(in).as("fixture on the test classpath").isNotNull();
            calls = new ObjectMapper().readTree(in).get("calls");
        }
    }

    private static JsonNode fixture(int seq) {
        for (JsonNode c : calls) {
            if (c.get("seq").asInt() == seq) {
                return c;
            }
        }
        throw new AssertionError("no call " + seq);
    }

    private static int errno(int seq) {
        return fixture(seq).get("errno").asInt();
    }

    private static List<JsonNode> fixtureCalls(String op) {
        List<JsonNode> l = new ArrayList<>();
        calls.forEach(c -> {
            if (c.get("op").asText().equals(op)) {
                l.add(c);
            }
        });
        return l;
    }

    private static ByteBuffer arg(PfIoctl io) {
        return NativeBytes.allocate(io == PfIoctl.DIOCXEND ? 4 : ABI.struct(io.argument()).size());
    }

    private static int call(SimulatedPf sim, PfIoctl io, ByteBuffer arg, IoctlCall.Pointee... pointees) {
        return sim.ioctl(new IoctlCall(io.name(), ABI.request(io), arg, List.of(pointees)));
    }

    // ---- limits, timeouts, watermarks: LARGE keeps every kernel default ----

    @Test
    void limitsTimeoutsAndWatermarksAnswerAsTheFreshKernelDid() {
        SimulatedPf sim = Sims.sim(SimConfig.defaults().withScale(SimScale.LARGE));
        CStruct lim = ABI.struct("pfioc_limit");
        for (JsonNode c : fixtureCalls("DIOCGETLIMIT")) {
            ByteBuffer b = arg(PfIoctl.DIOCGETLIMIT);
            b.putInt(lim.offset("index"), c.get("input").get("index").asInt());
            assertThat(call(sim, PfIoctl.DIOCGETLIMIT, b)).as("limit index %s", c.get("input")).isEqualTo(c.get("errno").asInt());
            if (c.get("errno").asInt() == 0) {
                assertThat(NativeBytes.u32(b, lim.offset("limit"))).isEqualTo(c.get("output").get("limit").asLong());
            }
        }
        CStruct tm = ABI.struct("pfioc_tm");
        for (JsonNode c : fixtureCalls("DIOCGETTIMEOUT")) {
            ByteBuffer b = arg(PfIoctl.DIOCGETTIMEOUT);
            b.putInt(tm.offset("timeout"), c.get("input").get("timeout").asInt());
            assertThat(call(sim, PfIoctl.DIOCGETTIMEOUT, b)).as("timeout %s", c.get("input")).isEqualTo(c.get("errno").asInt());
            if (c.get("errno").asInt() == 0) {
                assertThat(b.getInt(tm.offset("seconds"))).isEqualTo(c.get("output").get("seconds").asInt());
            } else {
                assertThat(b.getInt(tm.offset("seconds"))).as("no copyout on error").isZero();
            }
        }
        assertThat(fixtureCalls("DIOCGETLIMIT")).hasSize(9);
        assertThat(fixtureCalls("DIOCGETTIMEOUT")).hasSize(24);
        ByteBuffer w = arg(PfIoctl.DIOCGETSYNFLWATS);
        assertThat(call(sim, PfIoctl.DIOCGETSYNFLWATS, w)).isZero();
        CStruct ws = ABI.struct("pfioc_synflwats");
        assertThat(NativeBytes.u32(w, ws.offset("hiwat"))).isEqualTo(fixture(42).get("output").get("hiwat").asLong());
        assertThat(NativeBytes.u32(w, ws.offset("lowat"))).isEqualTo(fixture(42).get("output").get("lowat").asLong());
    }

    // ---- DIOCIGETIFACES ----

    private record Ifaces(int errno, int size, ByteBuffer buffer) {
        List<String> names(int n) {
            List<String> l = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                l.add(ABI.kif().name(buffer, i * ABI.kif().size()));
            }
            return l;
        }

        ByteBuffer entry(int i) {
            return NativeBytes.wrap(java.util.Arrays.copyOfRange(buffer.array(), i * 256, (i + 1) * 256));
        }
    }

    private static Ifaces ifaces(SimulatedPf sim, String name, int esize, int size, boolean nullBuffer) {
        CStruct s = ABI.struct("pfioc_iface");
        ByteBuffer b = arg(PfIoctl.DIOCIGETIFACES);
        NativeBytes.putCString(b, s.offset("pfiio_name"), IFNAMSIZ, name);
        b.putInt(s.offset("pfiio_esize"), esize);
        b.putInt(s.offset("pfiio_size"), size);
        // the fixture's program pre-filled the buffer with 0xa5 to see what the kernel wrote
        ByteBuffer buf = NativeBytes.allocate(256 * Math.max(1, Math.max(size, 64)));
        for (int i = 0; i < buf.capacity(); i++) {
            buf.put(i, (byte) 0xa5);
        }
        int errno = nullBuffer ? call(sim, PfIoctl.DIOCIGETIFACES, b)
                : call(sim, PfIoctl.DIOCIGETIFACES, b, new IoctlCall.Pointee("pfiio_buffer", s.offset("pfiio_buffer"), buf));
        return new Ifaces(errno, b.getInt(s.offset("pfiio_size")), buf);
    }

    private static Ifaces replay(SimulatedPf sim, int seq) {
        JsonNode in = fixture(seq).get("input");
        return ifaces(sim, in.get("pfiio_name").asText(), in.get("pfiio_esize").asInt(), in.get("pfiio_size").asInt(),
                in.get("pfiio_buffer_null").asInt() == 1);
    }

    @Test
    void interfaceListsFollowTheKernelsTruncationRule() {
        SimulatedPf sim = Sims.small();
        List<String> all = replay(sim, 48).names(13);      // capacity 64: the whole list
        assertThat(all).containsExactly("all", "egress", "em0", "em1", "em2", "lo", "lo0", "pflog", "pflog0", "vlan",
                "vlan100", "vlan200", "vlan300");

        // capacity 0 with a buffer: the kernel answers 1 and copies one entry of garbage
        Ifaces cap0 = replay(sim, 43);
        assertThat(cap0.errno()).isEqualTo(errno(43)).isZero();
        assertThat(cap0.size()).isEqualTo(fixture(43).get("output").get("pfiio_size").asInt()).isEqualTo(1);
        assertThat(cap0.entry(0).array()).as("written").isNotEqualTo(filled(256, 0xa5));
        // capacity 0 and no buffer: EFAULT, pfiio_size not copied out
        Ifaces nul = replay(sim, 44);
        assertThat(nul.errno()).isEqualTo(errno(44)).isEqualTo(Errno.EFAULT);
        assertThat(nul.size()).isEqualTo(fixture(44).get("output").get("pfiio_size").asInt()).isZero();
        // capacities 1, 2, 3: capacity − 1 real entries, then one entry that is not a real kif
        for (int seq : new int[] {45, 46, 47}) {
            int cap = fixture(seq).get("input").get("pfiio_size").asInt();
            Ifaces r = replay(sim, seq);
            assertThat(r.errno()).isEqualTo(errno(seq)).isZero();
            assertThat(r.size()).isEqualTo(fixture(seq).get("output").get("pfiio_size").asInt()).isEqualTo(cap);
            assertThat(r.names(cap - 1)).containsExactlyElementsOf(all.subList(0, cap - 1));
            ByteBuffer last = r.entry(cap - 1);
            assertThat(last.array()).isNotEqualTo(filled(256, 0xa5));
            Ifaces full = ifaces(sim, "", 256, 64, false);
            assertThat(last.array()).as("entry %d of a truncated answer is not the real kif", cap - 1)
                    .isNotEqualTo(full.entry(cap - 1).array());
        }
        // a filter: an exact name, or a group with its members
        Ifaces lo0 = replay(sim, 49);
        assertThat(lo0.size()).isEqualTo(fixture(49).get("output").get("pfiio_size").asInt());
        assertThat(lo0.names(lo0.size())).containsExactly("lo0");
        Ifaces lo = replay(sim, 50);
        assertThat(lo.size()).isEqualTo(fixture(50).get("output").get("pfiio_size").asInt());
        assertThat(lo.names(lo.size())).containsExactly("lo", "lo0");
        assertThat(ifaces(sim, "vlan", 256, 64, false).names(4)).containsExactly("vlan", "vlan100", "vlan200", "vlan300");
        assertThat(ifaces(sim, "egress", 256, 64, false).names(2)).containsExactly("egress", "em0");
        Ifaces none = replay(sim, 51);
        assertThat(none.errno()).isZero();
        assertThat(none.size()).isEqualTo(fixture(51).get("output").get("pfiio_size").asInt()).isZero();
        // a negative size: EINVAL, pfiio_size stays; a wrong element size: ENODEV, pfiio_size stays
        for (int seq : new int[] {52, 53, 54}) {
            Ifaces r = replay(sim, seq);
            assertThat(r.errno()).as("seq %d", seq).isEqualTo(errno(seq));
            assertThat(r.size()).as("seq %d", seq).isEqualTo(fixture(seq).get("output").get("pfiio_size").asInt());
            assertThat(r.entry(0).array()).as("nothing copied").isEqualTo(filled(256, 0xa5));
        }
        assertThat(errno(52)).isEqualTo(Errno.EINVAL);
        assertThat(errno(53)).isEqualTo(Errno.ENODEV);
    }

    @Test
    void kifsCarryPointersLikeTheKernelsGroupsHaveAGroupInterfacesAnIfnet() {
        CStruct kif = ABI.struct("pfi_kif");
        int ifp = kif.offset("pfik_ifp");
        int group = kif.offset("pfik_group");
        SimulatedPf sim = Sims.small();
        Ifaces mine = ifaces(sim, "", 256, 64, false);
        JsonNode real = fixture(103).get("kifs");
        for (JsonNode k : real) {
            ByteBuffer r = NativeBytes.wrap(HexFormat.of().parseHex(k.get("hex").asText()));
            String name = k.get("name").asText();
            int at = mine.names(13).indexOf(name);
            if (at < 0) {
                continue;                                   // carp, enc, enc0: not on the simulated firewall
            }
            ByteBuffer m = mine.entry(at);
            assertThat(m.getLong(ifp) != 0).as("%s pfik_ifp", name).isEqualTo(r.getLong(ifp) != 0);
            assertThat(m.getLong(group) != 0).as("%s pfik_group", name).isEqualTo(r.getLong(group) != 0);
        }
        // the first listing stamps pfik_tzero with the wall clock
        assertThat(mine.entry(0).getLong(kif.offset("pfik_tzero"))).isEqualTo(Sims.START.getEpochSecond());
    }

    // ---- the rule walk ----

    private static ByteBuffer rules(SimulatedPf sim, String anchor, int[] errno) {
        ByteBuffer b = arg(PfIoctl.DIOCGETRULES);
        NativeBytes.putCString(b, ABI.rule().layout().offset("anchor"), PATH_MAX, anchor);
        errno[0] = call(sim, PfIoctl.DIOCGETRULES, b);
        return b;
    }

    private static long ticket(ByteBuffer b) {
        return NativeBytes.u32(b, ABI.struct("pfioc_rule").offset("ticket"));
    }

    private static long nr(ByteBuffer b) {
        return NativeBytes.u32(b, ABI.struct("pfioc_rule").offset("nr"));
    }

    private static int rule(SimulatedPf sim, long ticket) {
        ByteBuffer b = arg(PfIoctl.DIOCGETRULE);
        NativeBytes.putU32(b, ABI.struct("pfioc_rule").offset("ticket"), ticket);
        return call(sim, PfIoctl.DIOCGETRULE, b);
    }

    private static int xend(SimulatedPf sim, long ticket) {
        ByteBuffer t = arg(PfIoctl.DIOCXEND);
        NativeBytes.putU32(t, 0, ticket);
        return call(sim, PfIoctl.DIOCXEND, t);
    }

    @Test
    void aRuleWalkEndsAndItsTicketIsReleasedAsInTheKernel() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofMinutes(10));
        int[] e = new int[1];
        // tickets: one global counter, 1, 2, 3, … per DIOCGETRULES
        ByteBuffer walk = rules(sim, "", e);
        assertThat(e[0]).isEqualTo(errno(81)).isZero();
        assertThat(ticket(walk)).isEqualTo(fixture(55).get("output").get("ticket").asLong()).isEqualTo(1);
        assertThat(nr(walk)).isEqualTo(32);
        for (int i = 0; i < 32; i++) {
            int before = walk.getInt(ABI.struct("pfioc_rule").offset("nr"));
            assertThat(call(sim, PfIoctl.DIOCGETRULE, walk)).isZero();
            assertThat(nr(walk)).as("nr is the rule's number").isEqualTo(i);
            assertThat(before).isEqualTo(i == 0 ? 32 : i - 1);
        }
        // ENOENT past the end, and again: the walk stays open until released
        assertThat(call(sim, PfIoctl.DIOCGETRULE, walk)).isEqualTo(errno(86)).isEqualTo(Errno.ENOENT);
        assertThat(rule(sim, ticket(walk))).isEqualTo(errno(87)).isEqualTo(Errno.ENOENT);
        assertThat(xend(sim, ticket(walk))).isEqualTo(errno(88)).isZero();
        assertThat(xend(sim, ticket(walk))).isEqualTo(errno(89)).isEqualTo(Errno.ENXIO);
        assertThat(rule(sim, ticket(walk))).isEqualTo(errno(90)).isEqualTo(Errno.ENXIO);
        assertThat(rule(sim, 0xdeadbeefL)).isEqualTo(errno(61)).isEqualTo(Errno.ENXIO);
        assertThat(xend(sim, 0xdeadbeefL)).isEqualTo(errno(62)).isEqualTo(Errno.ENXIO);
        // an unknown anchor: EINVAL, and no ticket consumed
        rules(sim, "doesnotexist", e);
        assertThat(e[0]).isEqualTo(errno(63)).isEqualTo(Errno.EINVAL);
        ByteBuffer office = rules(sim, "office", e);
        assertThat(ticket(office)).isEqualTo(2);
        assertThat(nr(office)).isEqualTo(9);
        assertThat(xend(sim, ticket(office))).isZero();
        assertThat(sim.openTickets()).isZero();
    }

    @Test
    void anchorsAreEnumeratedAsInTheKernel() {
        SimulatedPf sim = Sims.small();
        CStruct s = ABI.struct("pfioc_ruleset");
        ByteBuffer main = arg(PfIoctl.DIOCGETRULESETS);
        assertThat(call(sim, PfIoctl.DIOCGETRULESETS, main)).isEqualTo(errno(98)).isZero();
        assertThat(NativeBytes.u32(main, s.offset("nr"))).isEqualTo(2);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ByteBuffer c = arg(PfIoctl.DIOCGETRULESET);
            NativeBytes.putU32(c, s.offset("nr"), i);
            int errno = call(sim, PfIoctl.DIOCGETRULESET, c);
            if (i < 2) {
                assertThat(errno).isEqualTo(errno(99)).isZero();
                names.add(NativeBytes.cString(c, s.offset("name"), PF_ANCHOR_NAME_SIZE));
            } else {
                assertThat(errno).as("past the end").isEqualTo(errno(100)).isEqualTo(Errno.EBUSY);
                assertThat(NativeBytes.cString(c, s.offset("name"), PF_ANCHOR_NAME_SIZE)).isEmpty();
            }
        }
        assertThat(names).containsExactly("customers", "office");        // the anchor tree's order
        // an anchor without children: nr 0 and EBUSY for its first child; a leading slash is ignored
        ByteBuffer office = arg(PfIoctl.DIOCGETRULESETS);
        NativeBytes.putCString(office, s.offset("path"), PATH_MAX, "/office");
        assertThat(call(sim, PfIoctl.DIOCGETRULESETS, office)).isEqualTo(errno(101)).isZero();
        assertThat(NativeBytes.u32(office, s.offset("nr"))).isEqualTo(fixture(101).get("output").get("nr").asLong()).isZero();
        ByteBuffer child = arg(PfIoctl.DIOCGETRULESET);
        NativeBytes.putCString(child, s.offset("path"), PATH_MAX, "office");
        assertThat(call(sim, PfIoctl.DIOCGETRULESET, child)).isEqualTo(errno(102)).isEqualTo(Errno.EBUSY);
        ByteBuffer globex = arg(PfIoctl.DIOCGETRULESET);
        NativeBytes.putCString(globex, s.offset("path"), PATH_MAX, "customers/globex");
        assertThat(call(sim, PfIoctl.DIOCGETRULESET, globex)).isZero();
        assertThat(NativeBytes.cString(globex, s.offset("name"), PF_ANCHOR_NAME_SIZE)).isEqualTo("web");
        // an unknown path: EINVAL
        ByteBuffer unknown = arg(PfIoctl.DIOCGETRULESETS);
        NativeBytes.putCString(unknown, s.offset("path"), PATH_MAX, "doesnotexist");
        assertThat(call(sim, PfIoctl.DIOCGETRULESETS, unknown)).isEqualTo(errno(66)).isEqualTo(Errno.EINVAL);
    }

    @Test
    void aTicketGoesStaleWhenTheRulesetIsReplacedAndCanStillBeReleased() {
        SimulatedPf sim = Sims.small();
        int[] e = new int[1];
        ByteBuffer walk = rules(sim, "", e);
        assertThat(e[0]).isEqualTo(errno(106)).isZero();
        assertThat(call(sim, PfIoctl.DIOCGETRULE, walk)).isZero();
        sim.inject(Fault.RULESET_RELOAD);
        assertThat(call(sim, PfIoctl.DIOCGETRULE, walk)).isEqualTo(errno(109)).isEqualTo(Errno.EBUSY);
        assertThat(call(sim, PfIoctl.DIOCGETRULE, walk)).isEqualTo(Errno.EBUSY);
        assertThat(xend(sim, ticket(walk))).isEqualTo(errno(110)).isZero();
        ByteBuffer again = rules(sim, "", e);
        assertThat(call(sim, PfIoctl.DIOCGETRULE, again)).isZero();
        assertThat(xend(sim, ticket(again))).isZero();
    }

    @Test
    void ruleBytesHaveTheShapeOfTheKernelsRules() {
        SimulatedPf sim = Sims.small();
        CStruct pr = ABI.struct("pfioc_rule");
        CStruct r = ABI.struct("pf_rule");
        int base = pr.offset("rule");
        int[] e = new int[1];
        ByteBuffer walk = rules(sim, "", e);
        List<ByteBuffer> got = new ArrayList<>();
        while (call(sim, PfIoctl.DIOCGETRULE, walk) == 0) {
            got.add(NativeBytes.wrap(walk.array().clone()));
        }
        xend(sim, ticket(walk));
        ByteBuffer call = got.get(31);                             // anchor "customers": the last main rule
        ByteBuffer real = NativeBytes.wrap(HexFormat.of().parseHex(fixture(85).get("output_hex").get("rule").get("hex").asText()));
        for (String f : List.of("action", "anchor_relative", "rtableid", "onrdomain", "statelim", "sourcelim", "skip")) {
            int off = r.offset(f);
            int size = r.field(f).size();
            assertThat(java.util.Arrays.copyOfRange(call.array(), base + off, base + off + size)).as(f)
                    .isEqualTo(java.util.Arrays.copyOfRange(real.array(), off, off + size));
        }
        for (String pool : List.of("nat", "rdr", "route")) {
            assertThat(call.get(base + r.offset(pool, "addr", "type"))).as(pool).isEqualTo((byte) 7);   // PF_ADDR_NONE
        }
        assertThat(NativeBytes.cString(call, pr.offset("anchor_call"), PATH_MAX)).isEqualTo("customers");
        // a table address carries the table's entry count; a skip step that points at a rule keeps
        // the kernel address's upper half beside the rule number
        ByteBuffer brute = got.get(2);
        assertThat(brute.get(base + r.offset("src", "addr", "type"))).isEqualTo((byte) 3);              // PF_ADDR_TABLE
        assertThat(NativeBytes.cString(brute, base + r.offset("src", "addr", "v", "tblname"), 32)).isEqualTo("bruteforce");
        assertThat(brute.getInt(base + r.offset("src", "addr", "p", "tblcnt"))).isEqualTo(37);
        ByteBuffer first = got.get(0);
        int skipAf = base + r.offset("skip") + 8 * 3;                  // PF_SKIP_AF: rule 1 is inet6
        assertThat(first.getInt(skipAf)).isEqualTo(1);
        assertThat(first.getInt(skipAf + 4)).isEqualTo(0xffff8000);
        // DIOCGETRULE with PF_GET_CLR_CNTR needs a writable descriptor; the simulated one is read-only
        ByteBuffer clear = rules(sim, "", e);
        clear.putInt(pr.offset("action"), PfConstants.PF_GET_CLR_CNTR);
        assertThat(call(sim, PfIoctl.DIOCGETRULE, clear)).isEqualTo(Errno.EACCES);
        xend(sim, ticket(clear));
    }

    // ---- tables ----

    @Test
    void tableStatsAreAProperSizeQuery() {
        SimulatedPf sim = Sims.small();
        CStruct s = ABI.struct("pfioc_table");
        int size = s.offset("pfrio_size");
        ByteBuffer q = arg(PfIoctl.DIOCRGETTSTATS);
        q.putInt(s.offset("pfrio_esize"), fixture(69).get("input").get("pfrio_esize").asInt());
        q.putInt(size, 0);
        assertThat(call(sim, PfIoctl.DIOCRGETTSTATS, q)).isEqualTo(errno(69)).isZero();
        assertThat(q.getInt(size)).as("the main ruleset's tables").isEqualTo(5);
        ByteBuffer buf = NativeBytes.allocate(5 * ABI.tstats().size());
        IoctlCall.Pointee p = new IoctlCall.Pointee("pfrio_buffer", s.offset("pfrio_buffer"), buf);
        assertThat(call(sim, PfIoctl.DIOCRGETTSTATS, q, p)).isEqualTo(errno(70)).isZero();
        assertThat(q.getInt(size)).isEqualTo(5);
        assertThat(ABI.tstats().decode(buf, 0).name()).isEqualTo("admins");
        // a buffer larger than needed: the count comes back
        ByteBuffer big = arg(PfIoctl.DIOCRGETTSTATS);
        big.putInt(s.offset("pfrio_esize"), 1232);
        big.putInt(size, 64);
        big.putInt(s.offset("pfrio_flags"), PfConstants.PFR_FLAG_ALLRSETS);
        assertThat(call(sim, PfIoctl.DIOCRGETTSTATS, big, new IoctlCall.Pointee("pfrio_buffer", s.offset("pfrio_buffer"),
                NativeBytes.allocate(64 * 1232)))).isZero();
        assertThat(big.getInt(size)).isEqualTo(8);
        // one anchor's tables, leading slash or not; an unknown anchor: ENOENT
        ByteBuffer acme = arg(PfIoctl.DIOCRGETTSTATS);
        acme.putInt(s.offset("pfrio_esize"), 1232);
        NativeBytes.putCString(acme, s.offset("pfrio_table", "pfrt_anchor"), PATH_MAX, "/customers/acme");
        assertThat(call(sim, PfIoctl.DIOCRGETTSTATS, acme)).isZero();
        assertThat(acme.getInt(size)).isEqualTo(1);
        assertThat(NativeBytes.cString(acme, s.offset("pfrio_table", "pfrt_anchor"), PATH_MAX)).isEqualTo("customers/acme");
        ByteBuffer nowhere = arg(PfIoctl.DIOCRGETTSTATS);
        nowhere.putInt(s.offset("pfrio_esize"), 1232);
        NativeBytes.putCString(nowhere, s.offset("pfrio_table", "pfrt_anchor"), PATH_MAX, "nowhere");
        assertThat(call(sim, PfIoctl.DIOCRGETTSTATS, nowhere)).isEqualTo(Errno.ENOENT);
        // a wrong element size: ENODEV; a flag the call does not accept: EINVAL
        ByteBuffer wrong = arg(PfIoctl.DIOCRGETTSTATS);
        wrong.putInt(s.offset("pfrio_esize"), fixture(71).get("input").get("pfrio_esize").asInt());
        assertThat(call(sim, PfIoctl.DIOCRGETTSTATS, wrong)).isEqualTo(errno(71)).isEqualTo(Errno.ENODEV);
        ByteBuffer dummy = arg(PfIoctl.DIOCRGETTSTATS);
        dummy.putInt(s.offset("pfrio_esize"), 1232);
        dummy.putInt(s.offset("pfrio_flags"), 0x02);                 // PFR_FLAG_DUMMY
        assertThat(call(sim, PfIoctl.DIOCRGETTSTATS, dummy)).isEqualTo(Errno.EINVAL);
    }

    // ---- queues (pf_ioctl.c: DIOCGETQUEUES, DIOCGETQSTATS; hfsc_pf_qstats(), fqcodel_pf_qstats()) ----

    @Test
    void queueStatsAreTicketedByTheMainRulesetsVersion() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofMinutes(10));
        CStruct pq = ABI.struct("pfioc_queue");
        CStruct qs = ABI.struct("pfioc_qstats");
        ByteBuffer q = arg(PfIoctl.DIOCGETQUEUES);
        assertThat(call(sim, PfIoctl.DIOCGETQUEUES, q)).isZero();
        long ticket = NativeBytes.u32(q, pq.offset("ticket"));
        assertThat(NativeBytes.u32(q, pq.offset("nr"))).isEqualTo(8);
        int hfsc = ABI.queue().hfscSize();
        int fq = ABI.queue().fqcodelSize();
        ByteBuffer buf = NativeBytes.allocate(ABI.queue().statsBufferSize());
        IoctlCall.Pointee p = new IoctlCall.Pointee("buf", qs.offset("buf"), buf);
        java.util.function.BiFunction<Long, long[], Integer> stats = (nr, io) -> {
            ByteBuffer b = arg(PfIoctl.DIOCGETQSTATS);
            NativeBytes.putU32(b, qs.offset("ticket"), io[0]);
            NativeBytes.putU32(b, qs.offset("nr"), nr);
            b.putInt(qs.offset("nbytes"), (int) io[1]);
            int errno = call(sim, PfIoctl.DIOCGETQSTATS, b, p);
            io[1] = b.getInt(qs.offset("nbytes"));
            return errno;
        };
        long[] io = {ticket, ABI.queue().statsBufferSize()};
        assertThat(stats.apply(1L, io)).isZero();
        assertThat(io[1]).as("nbytes: what was written").isEqualTo(hfsc);
        io[1] = ABI.queue().statsBufferSize();
        assertThat(stats.apply(7L, io)).isZero();
        assertThat(io[1]).as("the stand-alone flow queue has fqcodel_stats").isEqualTo(fq);
        io[1] = hfsc - 1;
        assertThat(stats.apply(1L, io)).as("buffer too small").isEqualTo(Errno.EINVAL);
        assertThat(io[1]).as("not copied out").isEqualTo(hfsc - 1);
        io[1] = hfsc;
        assertThat(stats.apply(8L, io)).as("nr out of range").isEqualTo(Errno.EBUSY);
        sim.inject(Fault.RULESET_RELOAD);
        assertThat(stats.apply(1L, io)).as("stale ticket").isEqualTo(Errno.EBUSY);
        ByteBuffer again = arg(PfIoctl.DIOCGETQUEUES);
        call(sim, PfIoctl.DIOCGETQUEUES, again);
        assertThat(NativeBytes.u32(again, pq.offset("ticket"))).isEqualTo(ticket + 1);
        ByteBuffer nul = arg(PfIoctl.DIOCGETQSTATS);
        NativeBytes.putU32(nul, qs.offset("ticket"), ticket + 1);
        nul.putInt(qs.offset("nbytes"), hfsc);
        assertThat(call(sim, PfIoctl.DIOCGETQSTATS, nul)).as("NULL buf").isEqualTo(Errno.EFAULT);
    }

    // ---- arguments the kernel would not even get ----

    @Test
    void anArgumentOfTheWrongSizeOrAnUnknownRequestIsRefused() {
        SimulatedPf sim = Sims.small();
        assertThat(sim.ioctl(new IoctlCall("DIOCGETSTATUS", ABI.request(PfIoctl.DIOCGETSTATUS), NativeBytes.allocate(10), List.of())))
                .isEqualTo(Errno.EFAULT);
        long rules78 = AbiRelease.V7_8.abi().request(PfIoctl.DIOCGETRULES);
        assertThat(sim.ioctl(new IoctlCall("DIOCGETRULES", rules78, NativeBytes.allocate(AbiRelease.V7_8.abi().struct("pfioc_rule").size()),
                List.of()))).isEqualTo(Errno.ENOTTY);
        SimulatedPf faithful = Sims.sim(SimConfig.defaults().withUnknownRequestErrno(Errno.EACCES));
        assertThat(faithful.ioctl(new IoctlCall("DIOCGETRULES", rules78, NativeBytes.allocate(AbiRelease.V7_8.abi().struct("pfioc_rule").size()),
                List.of()))).isEqualTo(Errno.EACCES);
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }
}
