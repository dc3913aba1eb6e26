package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.CStruct;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.abi.IoctlCall;
import org.pfmeter.pf.abi.LimiterProtocol;
import org.pfmeter.pf.abi.NativeBytes;
import org.pfmeter.pf.abi.PfAbi;
import org.pfmeter.pf.abi.PfIoctl;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.SourceEntry;
import org.pfmeter.pf.model.SourceLimiter;
import org.pfmeter.pf.model.StateLimiter;
import org.pfmeter.pf.model.Subsystem;
import org.pfmeter.pf.model.SubsystemResult;

class LimitersTest {

    private static final PfAbi ABI = AbiRelease.V8_0.abi();

    @Test
    void aPollReadsEveryLimiterAsTheGroundTruthHasIt() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(5));
        PfSnapshot s = Sims.reader(sim).poll();
        SimulatedPf.LimiterTruth truth = sim.limiterTruth(PfReader.DEFAULT_SOURCE_TOP);
        List<StateLimiter> states = s.stateLimiters().value().orElseThrow();
        assertThat(states).extracting(StateLimiter::id).containsExactly(1, 2, 7);
        assertThat(states).isEqualTo(truth.stateLimiters());
        List<SourceLimiter> sources = s.sourceLimiters().value().orElseThrow();
        assertThat(sources).extracting(SourceLimiter::id).containsExactly(1, 4);
        assertThat(sources).isEqualTo(truth.sourceLimiters());
        SourceLimiter client = sources.get(0);
        assertThat(client.nentries()).isPositive().isEqualTo(client.sources().count());
        assertThat(client.sources().top()).hasSize(10);
        assertThat(client.sources().top()).extracting(SourceEntry::address).allMatch(a -> a.startsWith("198.1"));
        assertThat(client.inuse()).isEqualTo(truth.sourceLimiters().get(0).inuse());
        assertThat(client.sources().top().get(0).inuse()).isGreaterThanOrEqualTo(client.sources().top().get(9).inuse());
        SourceLimiter mailer = sources.get(1);
        assertThat(mailer.overloadTable()).isEqualTo("abusers");
        assertThat(mailer.inet6Prefix()).isEqualTo(64);
        assertThat(mailer.sources().top()).extracting(SourceEntry::address).allMatch(a -> a.startsWith("2001:db8:"));
        assertThat(states).allSatisfy(l -> assertThat(l.inuse()).isPositive().isLessThanOrEqualTo(l.limit()));
    }

    /**
     * The guest limiter is deliberately small: once its rules' states have built up it holds its limit at
     * every hour of the week, quiet nights included, on every scale; the others reach theirs only at peaks.
     * Dashboards, alerts and their tests rely on one limiter that always refuses.
     */
    @Test
    void theGuestLimiterHoldsItsLimitAllWeekAndTheOthersOnlyAtPeaks() {
        for (SimConfig config : List.of(SimConfig.defaults(), SimConfig.defaults().withSeed(2),
                SimConfig.defaults().withScale(SimScale.LARGE))) {
            SimulatedPf sim = Sims.sim(config);
            sim.advance(Duration.ofHours(1));
            int samples = 0;
            int othersBelow = 0;
            for (int step = 0; step < 7 * 24 * 4; step++) {
                sim.advance(Duration.ofMinutes(15));
                List<StateLimiter> states = sim.limiterTruth(PfReader.DEFAULT_SOURCE_TOP).stateLimiters();
                StateLimiter guest = states.get(2);
                assertThat(guest.name()).isEqualTo("guest-states");
                assertThat(guest.inuse()).as("%s at %s", config, sim.clock().instant()).isEqualTo(guest.limit());
                assertThat(guest.limit()).isPositive();
                samples++;
                othersBelow += (int) states.stream().limit(2).filter(l -> l.inuse() < l.limit()).count();
            }
            assertThat(samples).isEqualTo(672);
            assertThat(othersBelow).as("lan and dmz below their limits at some hours, %s", config).isPositive();
        }
    }

    @Test
    void walkingInSmallBatchesSeesTheSameEntries() throws Exception {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(2));
        for (int batch : new int[] {1, 3, 7}) {
            List<SourceLimiter> small = new LimiterProtocol(sim, ABI, 3, batch).readSourceLimiters(1000);
            assertThat(small).as("batch %d", batch).isEqualTo(sim.limiterTruth(1000).sourceLimiters());
        }
    }

    @Test
    void countersMoveWithTheTrafficAndNeverGoBackwards() {
        SimulatedPf sim = Sims.small();
        PfReader reader = Sims.reader(sim);
        StateLimiter before = reader.poll().stateLimiters().value().orElseThrow().get(0);
        sim.inject(Fault.RULESET_RELOAD);        // limiters with the same id survive a reload with their counters
        sim.advance(Duration.ofHours(1));
        StateLimiter after = reader.poll().stateLimiters().value().orElseThrow().get(0);
        assertThat(after.admitted()).isGreaterThan(before.admitted());
        assertThat(after.hardlimited()).isGreaterThanOrEqualTo(before.hardlimited());
        assertThat(after.inuse()).as("states outlive the reload").isPositive();
        SourceLimiter s1 = reader.poll().sourceLimiters().value().orElseThrow().get(0);
        sim.advance(Duration.ofMinutes(30));
        SourceLimiter s2 = reader.poll().sourceLimiters().value().orElseThrow().get(0);
        assertThat(s2.admitted()).isGreaterThan(s1.admitted());
        assertThat(s2.addrallocs()).isGreaterThanOrEqualTo(s1.addrallocs());
        assertThat(s2.ratelimited()).isGreaterThanOrEqualTo(s1.ratelimited());
    }

    @Test
    void aPfRestartCreatesTheLimitersAnewFromZero() {
        SimulatedPf sim = Sims.small();
        PfReader reader = Sims.reader(sim);
        sim.advance(Duration.ofHours(3));
        StateLimiter before = reader.poll().stateLimiters().value().orElseThrow().get(0);
        sim.inject(Fault.PF_RESTART);
        PfSnapshot s = reader.poll();
        StateLimiter after = s.stateLimiters().value().orElseThrow().get(0);
        assertThat(after.admitted()).isZero();
        assertThat(after.inuse()).as("the state table was flushed").isZero();
        assertThat(before.admitted()).isPositive();
        assertThat(s.sourceLimiters().value().orElseThrow().get(0).nentries()).isZero();
        sim.advance(Duration.ofMinutes(10));
        assertThat(reader.poll().stateLimiters().value().orElseThrow().get(0).admitted()).isPositive();
        assertThat(reader.poll()).extracting(p -> p.stateLimiters().value().orElseThrow())
                .isEqualTo(sim.limiterTruth(10).stateLimiters());
    }

    @Test
    void sevenEightHasNoLimitersAndIsNotAskedForThem() {
        SimulatedPf sim = Sims.sim(SimConfig.defaults().withRelease(AbiRelease.V7_8));
        CountingPfDevice counting = new CountingPfDevice(sim, AbiRelease.V7_8);
        PfSnapshot s = new PfReader(counting, AbiRelease.V7_8, sim.clock()).poll();
        assertThat(s.stateLimiters()).isEqualTo(SubsystemResult.notPresent("pf of OpenBSD 7.8 has no state limiters"));
        assertThat(s.sourceLimiters()).isEqualTo(SubsystemResult.notPresent("pf of OpenBSD 7.8 has no source limiters"));
        assertThat(s.complete()).as("not present is not an error").isTrue();
        assertThat(counting.calls).extracting(CountingPfDevice.Call::name).noneMatch(n -> n.matches("DIOCGETN?(STATELIM|SOURCELIM|SOURCE)"));
        assertThat(sim.limiterTruth(10).stateLimiters()).isEmpty();
    }

    @Test
    void faultsReachTheLimitersAsTheOtherSubsystems() {
        SimulatedPf sim = Sims.small();
        sim.inject(Fault.EACCES);
        PfSnapshot denied = Sims.reader(sim).poll();
        assertThat(denied.errors().get(Subsystem.STATE_LIMITERS).kind()).isEqualTo(PfError.Kind.PERMISSION);
        assertThat(denied.errors().get(Subsystem.SOURCE_LIMITERS).ioctl()).isEqualTo("DIOCGETNSOURCELIM");
        sim.clear(Fault.EACCES);
        sim.inject(Fault.ABI_MISMATCH);          // the 8.0 kernel now speaks 7.8, which has no limiter requests
        PfSnapshot s = Sims.reader(sim).poll();
        PfError e = s.errors().get(Subsystem.STATE_LIMITERS);
        assertThat(e.kind()).isEqualTo(PfError.Kind.ABI_MISMATCH);
        assertThat(e.message()).contains("DIOCGETNSTATELIM", "pfvar.h 1.548", "--abi");
        assertThat(s.errors().get(Subsystem.SOURCE_LIMITERS).kind()).isEqualTo(PfError.Kind.ABI_MISMATCH);
    }

    // ---- the kernel's answers, byte for byte ----

    private static ByteBuffer statelim(long id) {
        CStruct s = ABI.struct("pfioc_statelim");
        ByteBuffer b = NativeBytes.allocate(s.size());
        NativeBytes.putU32(b, s.offset("id"), id);
        return b;
    }

    private static int call(SimulatedPf sim, PfIoctl io, ByteBuffer arg, IoctlCall.Pointee... p) {
        return sim.ioctl(new IoctlCall(io.name(), ABI.request(io), arg, List.of(p)));
    }

    @Test
    void theIdWalkEndsWithEnoentForStateAndEsrchForSourceLimiters() {
        SimulatedPf sim = Sims.small();
        CStruct s = ABI.struct("pfioc_statelim");
        ByteBuffer gap = statelim(3);
        assertThat(call(sim, PfIoctl.DIOCGETNSTATELIM, gap)).isZero();
        assertThat(NativeBytes.u32(gap, s.offset("id"))).as("RBT_NFIND skips to the next id").isEqualTo(7);
        assertThat(NativeBytes.cString(gap, s.offset("name"), 16)).isEqualTo("guest-states");
        assertThat(call(sim, PfIoctl.DIOCGETNSTATELIM, statelim(8))).isEqualTo(Errno.ENOENT);
        assertThat(call(sim, PfIoctl.DIOCGETSTATELIM, statelim(3))).as("RBT_FIND is exact").isEqualTo(Errno.ENOENT);
        CStruct sl = ABI.struct("pfioc_sourcelim");
        ByteBuffer src = NativeBytes.allocate(sl.size());
        NativeBytes.putU32(src, sl.offset("id"), 5);
        assertThat(call(sim, PfIoctl.DIOCGETNSOURCELIM, src)).isEqualTo(Errno.ESRCH);
    }

    @Test
    void theKernelWritesNeitherTicketNorDescription() {
        SimulatedPf sim = Sims.small();
        CStruct s = ABI.struct("pfioc_statelim");
        ByteBuffer b = statelim(1);
        NativeBytes.putU32(b, s.offset("ticket"), 0xdeadbeefL);
        NativeBytes.putCString(b, s.offset("description"), 64, "what the caller wrote");
        assertThat(call(sim, PfIoctl.DIOCGETSTATELIM, b)).isZero();
        assertThat(NativeBytes.u32(b, s.offset("ticket"))).isEqualTo(0xdeadbeefL);
        assertThat(NativeBytes.cString(b, s.offset("description"), 64)).isEqualTo("what the caller wrote");
        assertThat(NativeBytes.cString(b, s.offset("name"), 16)).isEqualTo("lan-states");
    }

    @Test
    void aSourceWalkAnswersAsPfSourceGet() {
        SimulatedPf sim = Sims.small();
        sim.advance(Duration.ofHours(1));
        CStruct s = ABI.struct("pfioc_source");
        int esize = ABI.struct("pfioc_source_entry").size();
        ByteBuffer key = NativeBytes.allocate(esize);
        // wrong entry_size: EINVAL, and the argument is left as it was
        ByteBuffer bad = source(1, esize + 8, 4L * esize);
        ByteBuffer copy = NativeBytes.allocate(bad.capacity());
        copy.put(0, bad, 0, bad.capacity());
        assertThat(call(sim, PfIoctl.DIOCGETNSOURCE, bad, keyOf(key), entries(4 * esize))).isEqualTo(Errno.EINVAL);
        assertThat(bad).isEqualTo(copy);
        // less room than one entry
        assertThat(call(sim, PfIoctl.DIOCGETNSOURCE, source(1, esize, esize - 1), keyOf(key), entries(esize)))
                .isEqualTo(Errno.EMSGSIZE);
        // room for one and a half: the second does not fit
        ByteBuffer half = source(1, esize, esize + esize / 2);
        assertThat(call(sim, PfIoctl.DIOCGETNSOURCE, half, keyOf(key), entries(2 * esize))).isEqualTo(Errno.EMSGSIZE);
        assertThat(NativeBytes.u64(half, s.offset("entrieslen"))).as("not copied back").isEqualTo(esize + esize / 2);
        // exactly two: entrieslen says 2 entries, limit and prefixes come back
        ByteBuffer two = source(1, esize, 2L * esize);
        IoctlCall.Pointee out = entries(2 * esize);
        assertThat(call(sim, PfIoctl.DIOCGETNSOURCE, two, keyOf(key), out)).isZero();
        assertThat(NativeBytes.u64(two, s.offset("entrieslen"))).isEqualTo(2L * esize);
        assertThat(NativeBytes.u32(two, s.offset("inet_prefix"))).isEqualTo(32);
        assertThat(NativeBytes.u32(two, s.offset("limit"))).isPositive();
        assertThat(NativeBytes.u8(out.buffer(), 0)).as("AF_INET").isEqualTo(2);
        // DIOCGETSOURCE is exact: the zero key is no entry
        assertThat(call(sim, PfIoctl.DIOCGETSOURCE, source(1, esize, esize), keyOf(key), entries(esize))).isEqualTo(Errno.ENOENT);
        // and the entry just read is
        ByteBuffer exact = NativeBytes.allocate(esize);
        exact.put(0, out.buffer(), 0, esize);
        assertThat(call(sim, PfIoctl.DIOCGETSOURCE, source(1, esize, esize), keyOf(exact), entries(esize))).isZero();
        // past the last entry: ENOENT; an unknown limiter: ESRCH
        ByteBuffer end = NativeBytes.allocate(esize);
        NativeBytes.putU8(end, 0, 3);
        assertThat(call(sim, PfIoctl.DIOCGETNSOURCE, source(1, esize, esize), keyOf(end), entries(esize))).isEqualTo(Errno.ENOENT);
        assertThat(call(sim, PfIoctl.DIOCGETNSOURCE, source(2, esize, esize), keyOf(key), entries(esize))).isEqualTo(Errno.ESRCH);
    }

    private static ByteBuffer source(long id, long entrySize, long len) {
        CStruct s = ABI.struct("pfioc_source");
        ByteBuffer b = NativeBytes.allocate(s.size());
        NativeBytes.putU32(b, s.offset("id"), id);
        NativeBytes.putU64(b, s.offset("entry_size"), entrySize);
        NativeBytes.putU64(b, s.offset("entrieslen"), len);
        return b;
    }

    private static IoctlCall.Pointee keyOf(ByteBuffer key) {
        return new IoctlCall.Pointee("key", ABI.struct("pfioc_source").offset("key"), key);
    }

    private static IoctlCall.Pointee entries(int bytes) {
        return new IoctlCall.Pointee("entries", ABI.struct("pfioc_source").offset("entries"), NativeBytes.allocate(bytes));
    }
}
