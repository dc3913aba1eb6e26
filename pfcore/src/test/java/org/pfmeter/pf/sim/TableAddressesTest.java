package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfConstants;
import org.pfmeter.pf.abi.PfIoctl;
import org.pfmeter.pf.model.AddressCounters;
import org.pfmeter.pf.model.AddressFamily;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableAddress;
import org.pfmeter.pf.model.TableAddresses;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.model.TableStats;

/** DIOCRGETASTATS: the named tables' entries and their counters, as pf answers and as a reader reads them. */
class TableAddressesTest {

    static final TableKey ACME = new TableKey("customers/acme", "acme-nets");
    static final TableKey GLOBEX = new TableKey("customers/globex", "globex-nets");
    static final TableKey ADMINS = new TableKey("", "admins");
    static final TableKey MISSING = new TableKey("", "no-such-table");

    static PfReader reader(SimulatedPf sim, TableKey... tables) {
        return new PfReader(sim, sim.config().kernelRelease(), sim.clock(), 5, List.of(tables));
    }

    static TableAddresses table(PfSnapshot s, TableKey k) {
        return s.tableAddresses().value().orElseThrow(() -> new AssertionError(s.errors())).stream()
                .filter(t -> t.table().equals(k)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(AbiRelease.class)
    void eachNamedTableIsReadWithItsEntriesAndCountersAsTheKernelHasThem(AbiRelease release) {
        SimulatedPf sim = Sims.sim(SimConfig.defaults().withRelease(release));
        sim.advance(Duration.ofHours(3));
        PfSnapshot s = reader(sim, ACME, ADMINS, MISSING).poll();
        assertThat(s.complete()).isTrue();
        TableAddresses acme = table(s, ACME);
        assertThat(acme.found()).isTrue();
        assertThat(acme.addresses()).hasSize(12).isEqualTo(sim.expectedAddresses(ACME.anchor(), ACME.name()));
        // IPv4 first, each family in address order, as pfr_walktree() walks the two radix trees
        List<TableAddress> order = acme.addresses().stream().map(AddressCounters::address).toList();
        assertThat(order).isSorted();
        assertThat(order.get(0).af()).isEqualTo(AddressFamily.INET);
        assertThat(order.get(order.size() - 1).af()).isEqualTo(AddressFamily.INET6);
        // a negated entry never counts: a match on it is an xpass
        assertThat(acme.addresses()).filteredOn(a -> a.address().negated()).singleElement()
                .satisfies(a -> assertThat(a.counted()).isFalse());
        assertThat(acme.addresses()).filteredOn(a -> !a.address().negated()).allSatisfy(a -> assertThat(a.counted()).isTrue());
        // the entries share the table's block/match/pass traffic: never more than the table counted
        TableStats t = s.tables().value().orElseThrow().stream().filter(x -> x.name().equals("acme-nets")).findFirst().orElseThrow();
        assertThat(t.flags() & TableStats.PFR_TFLAG_COUNTERS).isNotZero();
        for (Direction d : Direction.values()) {
            for (TableAction a : List.of(TableAction.BLOCK, TableAction.MATCH, TableAction.PASS)) {
                long sum = acme.addresses().stream().mapToLong(x -> x.bytes(d, a)).sum();
                assertThat(sum).isLessThanOrEqualTo(t.bytes(d, a)).isGreaterThanOrEqualTo(t.bytes(d, a) - 12);
            }
        }
        assertThat(acme.addresses().stream().mapToLong(x -> x.bytes(Direction.IN)).sum()).isPositive();
        // a table without the counters flag: every entry, no counters (PFR_FB_NOCOUNT), cleared with the table
        TableAddresses admins = table(s, ADMINS);
        assertThat(admins.addresses()).hasSize(4).allSatisfy(a -> {
            assertThat(a.counted()).isFalse();
            assertThat(a.packets()).containsOnly(0L);
        });
        assertThat(table(s, MISSING)).isEqualTo(TableAddresses.notFound(MISSING));
    }

    @Test
    void aTableLargerThanTheFirstBufferIsReadAgainWithTheCountTheKernelReported() {
        SimulatedPf sim = Sims.sim(SimConfig.defaults().withScale(SimScale.LARGE));
        CountingPfDevice dev = new CountingPfDevice(sim, AbiRelease.V8_0);
        TableKey nets = new TableKey("customers/c001", "nets");
        int n = sim.expectedAddresses(nets.anchor(), nets.name()).size();
        assertThat(n).isGreaterThan(64);
        PfReader reader = new PfReader(dev, AbiRelease.V8_0, sim.clock(), 5, List.of(nets));
        sim.advance(Duration.ofMinutes(30));
        assertThat(table(reader.poll(), nets).addresses()).hasSize(n);
        assertThat(dev.inputs("DIOCRGETASTATS")).containsExactly(64L, (long) (n + n / 8 + 4));
        // the next poll starts with the size the last one needed: one call
        assertThat(table(reader.poll(), nets).addresses()).hasSize(n);
        assertThat(dev.inputs("DIOCRGETASTATS")).hasSize(3).last().isEqualTo((long) n);
    }

    @Test
    void theIoctlAnswersAsPfrGetAstatsDoes() {
        SimulatedPf sim = Sims.small();
        PfAbi abi = AbiRelease.V8_0.abi();
        CStruct s = abi.struct("pfioc_table");
        int esize = abi.astats().size();
        assertThat(esize).isEqualTo(160);
        // a size query: nothing copied, the count returned, success
        ByteBuffer buf = NativeBytes.allocate(esize * 2);
        ByteBuffer a = arg(abi, ACME, esize, 2);
        assertThat(sim.ioctl(call(abi, a, buf))).isZero();
        assertThat(a.getInt(s.offset("pfrio_size"))).isEqualTo(12);
        assertThat(NativeBytes.hex(buf, 0, buf.capacity())).matches("0+");
        // another element size: ENODEV
        assertThat(sim.ioctl(call(abi, arg(abi, ACME, 52, 16), NativeBytes.allocate(52 * 16)))).isEqualTo(Errno.ENODEV);
        // no such table: ESRCH; no name, or table flags: EINVAL
        assertThat(sim.ioctl(call(abi, arg(abi, MISSING, esize, 16), NativeBytes.allocate(esize * 16)))).isEqualTo(Errno.ESRCH);
        assertThat(sim.ioctl(call(abi, arg(abi, new TableKey("", ""), esize, 16), NativeBytes.allocate(esize * 16))))
                .isEqualTo(Errno.EINVAL);
        ByteBuffer flagged = arg(abi, ACME, esize, 16);
        flagged.putInt(s.offset("pfrio_table", "pfrt_flags"), TableStats.PFR_TFLAG_COUNTERS);
        assertThat(sim.ioctl(call(abi, flagged, NativeBytes.allocate(esize * 16)))).isEqualTo(Errno.EINVAL);
        // a leading slash on the anchor is stripped (pfr_fix_anchor)
        ByteBuffer slash = arg(abi, new TableKey("/customers/acme", "acme-nets"), esize, 16);
        ByteBuffer out = NativeBytes.allocate(esize * 16);
        assertThat(sim.ioctl(call(abi, slash, out))).isZero();
        assertThat(slash.getInt(s.offset("pfrio_size"))).isEqualTo(12);
        assertThat(abi.astats().decode(out, 0)).isEqualTo(sim.expectedAddresses(ACME.anchor(), ACME.name()).get(0));
        // pfr_addr's pfra_fback: PFR_FB_NOCOUNT (9) for an entry without counters
        int fback = abi.struct("pfr_astats").offset("pfras_a", "pfra_fback");
        boolean sawNocount = false;
        for (int i = 0; i < 12; i++) {
            sawNocount |= NativeBytes.u8(out, i * esize + fback) == PfConstants.PFR_FB_NOCOUNT;
        }
        assertThat(sawNocount).isTrue();
    }

    private static ByteBuffer arg(PfAbi abi, TableKey t, int esize, int size) {
        CStruct s = abi.struct("pfioc_table");
        ByteBuffer a = NativeBytes.allocate(s.size());
        byte[] anchor = org.pfmeter.pf.abi.KernelStrings.encode(t.anchor());
        a.put(s.offset("pfrio_table", "pfrt_anchor"), anchor);
        byte[] name = org.pfmeter.pf.abi.KernelStrings.encode(t.name());
        a.put(s.offset("pfrio_table", "pfrt_name"), name);
        a.putInt(s.offset("pfrio_esize"), esize);
        a.putInt(s.offset("pfrio_size"), size);
        return a;
    }

    private static IoctlCall call(PfAbi abi, ByteBuffer a, ByteBuffer buf) {
        CStruct s = abi.struct("pfioc_table");
        return new IoctlCall("DIOCRGETASTATS", abi.request(PfIoctl.DIOCRGETASTATS), a,
                List.of(new IoctlCall.Pointee("pfrio_buffer", s.offset("pfrio_buffer"), buf)));
    }

    @Test
    void aFlushAReaddAndAZeroRestartTheEntriesWithANewClearedTime() {
        SimulatedPf sim = Sims.small();
        PfReader reader = reader(sim, ACME);
        sim.advance(Duration.ofHours(2));
        List<AddressCounters> before = table(reader.poll(), ACME).addresses();
        sim.advance(Duration.ofMinutes(1));
        sim.inject(Fault.ADDRESS_READD);
        List<AddressCounters> readd = table(reader.poll(), ACME).addresses();
        long now = sim.clock().instant().getEpochSecond();
        List<AddressCounters> restarted = readd.stream().filter(a -> a.cleared() == now).toList();
        assertThat(restarted).singleElement().satisfies(a -> assertThat(a.counted()).isFalse());
        for (int i = 0; i < before.size(); i++) {
            if (readd.get(i).cleared() != now && before.get(i).counted()) {
                assertThat(readd.get(i).bytes(Direction.IN)).isGreaterThanOrEqualTo(before.get(i).bytes(Direction.IN));
            }
        }
        sim.advance(Duration.ofMinutes(5));
        sim.inject(Fault.TABLE_FLUSH);
        long flushed = sim.clock().instant().getEpochSecond();
        assertThat(table(reader.poll(), ACME).addresses()).allSatisfy(a -> {
            assertThat(a.cleared()).isEqualTo(flushed);
            assertThat(a.counted()).isFalse();
        });
        sim.advance(Duration.ofMinutes(5));
        List<AddressCounters> after = table(reader.poll(), ACME).addresses();
        assertThat(after).filteredOn(a -> !a.address().negated()).allSatisfy(a -> assertThat(a.counted()).isTrue());
        sim.inject(Fault.ZERO_COUNTERS);                    // pfctl -T zero clears the entries too (PFR_FLAG_ADDRSTOO)
        assertThat(table(reader.poll(), ACME).addresses()).allSatisfy(a -> assertThat(a.counted()).isFalse());
    }

    /**
     * A reset-safe accountant of the entries (delta = current − previous, unless the cleared time
     * moved or a counter went back: then the current value) arrives at the ground truth to the byte,
     * through flushes, re-adds, zeroing and a pf restart.
     */
    @Test
    void aResetSafeAccountantOfTheEntriesEqualsTheGroundTruth() {
        SimulatedPf sim = Sims.small();
        sim.schedule(FaultSchedule.parse("table-flush@2h,address-readd@3h10m,zero-counters@5h,address-readd@5h1s,"
                + "pf-restart@7h,ruleset-reload@8h,table-flush@9h"));
        PfReader reader = reader(sim, ACME, GLOBEX);
        Map<TableKey, Map<TableAddress, long[]>> previous = new HashMap<>();
        Map<TableKey, Map<TableAddress, long[]>> total = new HashMap<>();
        for (int poll = 0; poll < 12 * 12; poll++) {
            sim.advance(Duration.ofMinutes(5));
            PfSnapshot s = reader.poll();
            for (TableAddresses t : s.tableAddresses().value().orElseThrow()) {
                for (AddressCounters a : t.addresses()) {
                    long[] cur = {a.packets(Direction.IN), a.packets(Direction.OUT), a.bytes(Direction.IN), a.bytes(Direction.OUT),
                        a.cleared()};
                    long[] prev = previous.computeIfAbsent(t.table(), k -> new HashMap<>()).get(a.address());
                    long[] sum = total.computeIfAbsent(t.table(), k -> new HashMap<>()).computeIfAbsent(a.address(), k -> new long[4]);
                    boolean reset = prev == null || prev[4] != cur[4];
                    for (int k = 0; k < 4; k++) {
                        reset |= prev != null && cur[k] < prev[k];
                    }
                    for (int k = 0; k < 4; k++) {
                        sum[k] += reset ? cur[k] : cur[k] - prev[k];
                    }
                    previous.get(t.table()).put(a.address(), cur);
                }
            }
        }
        Map<TableKey, Map<TableAddress, GroundTruth.Totals>> truth = sim.addressTruth();
        assertThat(truth).containsOnlyKeys(ACME, GLOBEX);
        long discarded = 0;
        for (Map.Entry<TableKey, Map<TableAddress, GroundTruth.Totals>> t : truth.entrySet()) {
            for (Map.Entry<TableAddress, GroundTruth.Totals> e : t.getValue().entrySet()) {
                GroundTruth.Counts o = e.getValue().observable();
                long[] sum = total.get(t.getKey()).get(e.getKey());
                assertThat(sum).as("%s %s", t.getKey(), e.getKey()).containsExactly(o.packetsIn(), o.packetsOut(), o.bytesIn(), o.bytesOut());
                discarded += e.getValue().discarded().bytesIn() + e.getValue().discarded().bytesOut();
            }
        }
        assertThat(discarded).as("the resets between polls discarded unread bytes").isPositive();
    }

    @Test
    void addressesPrintAsPfctlPrintsThem() {
        assertThat(new TableAddress(AddressFamily.INET, new byte[] {10, 0, 0, (byte) 240}, 28, false).text()).isEqualTo("10.0.0.240/28");
        assertThat(new TableAddress(AddressFamily.INET, new byte[] {(byte) 192, 0, 2, 7}, 32, true).text()).isEqualTo("!192.0.2.7");
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = (byte) 0xb8;
        assertThat(new TableAddress(AddressFamily.INET6, v6, 64, false).text()).isEqualTo("2001:db8::/64");
        byte[] one = new byte[16];
        one[15] = 1;
        assertThat(new TableAddress(AddressFamily.INET6, one, 128, false).text()).isEqualTo("::1");
        byte[] mid = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
        assertThat(new TableAddress(AddressFamily.INET6, mid, 128, false).text()).isEqualTo("2001:db8:0:1::1");
    }
}
