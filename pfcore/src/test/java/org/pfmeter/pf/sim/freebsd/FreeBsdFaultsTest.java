package org.pfmeter.pf.sim.freebsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.abi.FreeBsdRelease;
import org.pfmeter.pf.FreeBsdPfReader;
import org.pfmeter.pf.abi.netlink.FreeBsdErrno;
import org.pfmeter.pf.abi.netlink.PfNl;
import org.pfmeter.pf.model.Direction;
import org.pfmeter.pf.model.LabelCounters;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.SubsystemResult;
import org.pfmeter.pf.model.TableAction;
import org.pfmeter.pf.model.TableKey;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.sim.Fault;
import org.pfmeter.pf.sim.GroundTruth;

/**
 * Each fault of the simulated FreeBSD and what FreeBsdPfReader documents for it: a missing family
 * (ENOENT from the controller) is NO_DEVICE, EPERM is PERMISSION, a command the kernel does not have
 * is "not present" (missing from the operations, or EOPNOTSUPP when sent anyway), a reload in the
 * middle of a rule walk (EBUSY on the stale ticket) is read again and the ledger stays exact.
 */
class FreeBsdFaultsTest {

    final SimulatedFreeBsd pf = FreeBsdReaderAgainstSimTest.sim(FreeBsdRelease.FREEBSD_15_0);
    final FreeBsdPfReader reader = new FreeBsdPfReader(pf.netlink(), pf.clock());

    static PfError.Kind kind(SubsystemResult<?> r) {
        return r.error().orElseThrow(() -> new AssertionError("not failed: " + r)).kind();
    }

    @Test
    void aMissingFamilyIsNoDevice() {
        pf.inject(FreeBsdFault.FAMILY_MISSING);
        PfSnapshot s = reader.poll();
        assertThat(kind(s.status())).isEqualTo(PfError.Kind.NO_DEVICE);
        assertThat(s.status().error().orElseThrow().errno()).isEqualTo(FreeBsdErrno.ENOENT);
        assertThat(kind(s.rules())).isEqualTo(PfError.Kind.NO_DEVICE);
        assertThat(reader.family()).isEmpty();

        pf.clear(FreeBsdFault.FAMILY_MISSING);                 // kldload pf
        assertThat(reader.poll().status().isOk()).isTrue();
    }

    @Test
    void aFamilyThatGoesAwayAfterResolutionAnswersEopnotsupp() {
        assertThat(reader.poll().status().isOk()).isTrue();
        pf.inject(FreeBsdFault.FAMILY_MISSING);
        // genl_handle_message: no family at that id is EOPNOTSUPP, which the reader takes as "not present"
        PfSnapshot s = reader.poll();
        assertThat(s.status().isNotPresent()).isTrue();
        assertThat(s.rules().isNotPresent()).isTrue();
    }

    @Test
    void withoutThePrivilegeEveryPfCommandIsEperm() {
        pf.inject(FreeBsdFault.EPERM);
        PfSnapshot s = reader.poll();
        for (SubsystemResult<?> r : new SubsystemResult<?>[] {s.status(), s.limits(), s.timeouts(), s.rules(), s.tables(),
            s.sourceNodes()}) {
            assertThat(kind(r)).isEqualTo(PfError.Kind.PERMISSION);
            assertThat(r.error().orElseThrow().errno()).isEqualTo(FreeBsdErrno.EPERM);
        }
        assertThat(reader.family()).as("the controller needs no privilege").isPresent();
        pf.clear(FreeBsdFault.EPERM);
        assertThat(reader.poll().rules().isOk()).isTrue();
    }

    @Test
    void aCommandTheKernelLacksIsNotPresent() {
        pf.removeCommand(PfNl.Cmd.PFNL_CMD_GET_TSTATS);
        PfSnapshot s = reader.poll();
        assertThat(s.tables().isNotPresent()).isTrue();
        assertThat(((SubsystemResult.NotPresent<?>) s.tables()).why()).contains("operations");
        assertThat(s.status().isOk()).isTrue();
    }

    @Test
    void aCommandRemovedAfterResolutionAnswersEopnotsupp() {
        assertThat(reader.poll().sourceNodes().isOk()).isTrue();
        pf.removeCommand(PfNl.Cmd.PFNL_CMD_GET_SRCNODES);
        SubsystemResult<?> nodes = reader.poll().sourceNodes();
        assertThat(nodes.isNotPresent()).isTrue();
        assertThat(((SubsystemResult.NotPresent<?>) nodes).why()).contains("EOPNOTSUPP");
    }

    @Test
    void aReloadInTheMiddleOfTheRuleWalkIsReadAgainAndTheLedgerStaysExact() {
        pf.advance(Duration.ofHours(1));
        Map<LabelKey, long[]> ledger = new LinkedHashMap<>();
        Map<LabelKey, long[]> last = new LinkedHashMap<>();
        account(reader.poll(), ledger, last);
        pf.advance(Duration.ofMinutes(20));
        pf.inject(FreeBsdFault.RELOAD_MID_DUMP);
        PfSnapshot s = reader.poll();
        assertThat(s.rules().isOk()).as("the walk started over after EBUSY").isTrue();
        account(s, ledger, last);
        pf.advance(Duration.ofMinutes(20));
        account(reader.poll(), ledger, last);

        GroundTruth truth = pf.groundTruth();
        assertThat(truth.labels().values().stream().mapToLong(t -> t.discarded().packetsIn()).sum())
                .as("the reload discarded what the walk had not read yet").isPositive();
        truth.labels().forEach((k, t) -> {
            GroundTruth.Counts o = t.observable();
            assertThat(ledger.get(k)).as(k.toString()).containsExactly(o.packetsIn(), o.packetsOut(), o.bytesIn(), o.bytesOut());
        });
    }

    @Test
    void aScheduledReloadAndARestartKeepTheLedgerExact() {
        Map<LabelKey, long[]> ledger = new LinkedHashMap<>();
        Map<LabelKey, long[]> last = new LinkedHashMap<>();
        account(reader.poll(), ledger, last);
        for (Fault f : new Fault[] {Fault.RULESET_RELOAD, Fault.ZERO_COUNTERS, Fault.PF_RESTART}) {
            pf.advance(Duration.ofMinutes(17));
            account(reader.poll(), ledger, last);
            pf.advance(Duration.ofMinutes(3));
            pf.inject(f);
            pf.advance(Duration.ofMinutes(5));
            account(reader.poll(), ledger, last);
        }
        pf.groundTruth().labels().forEach((k, t) -> {
            GroundTruth.Counts o = t.observable();
            assertThat(ledger.get(k)).as(k.toString()).containsExactly(o.packetsIn(), o.packetsOut(), o.bytesIn(), o.bytesOut());
        });
    }

    @Test
    void twoDaysOfPollsWithScheduledFaultsAreBilledToTheByte() {
        SimulatedFreeBsd sim = FreeBsdReaderAgainstSimTest.sim(FreeBsdRelease.FREEBSD_14_3);
        FreeBsdPfReader r = new FreeBsdPfReader(sim.netlink(), sim.clock());
        sim.schedule(org.pfmeter.pf.sim.FaultSchedule.parse(
                "ruleset-reload@5h,zero-counters@11h,pf-restart@1d,state-ramp@26h+20m,ruleset-reload@33h"));
        Map<LabelKey, long[]> ledger = new LinkedHashMap<>();
        Map<LabelKey, long[]> last = new LinkedHashMap<>();
        for (int poll = 0; poll < 2 * 24 * 6; poll++) {
            if (poll % 50 == 25) {
                sim.inject(FreeBsdFault.RELOAD_MID_DUMP);
            }
            PfSnapshot s = r.poll();
            assertThat(s.rules().isOk()).as("poll " + poll).isTrue();
            account(s, ledger, last);
            sim.advance(Duration.ofMinutes(10));
        }
        account(r.poll(), ledger, last);
        GroundTruth truth = sim.groundTruth();
        assertThat(truth.labels().values().stream().mapToLong(t -> t.discarded().bytesIn()).sum()).isPositive();
        truth.labels().forEach((k, t) -> {
            GroundTruth.Counts o = t.observable();
            assertThat(ledger.get(k)).as(k.toString()).containsExactly(o.packetsIn(), o.packetsOut(), o.bytesIn(), o.bytesOut());
        });
    }

    @Test
    void tablesReadOverGetTstatsAreBookedSoResetsDiscardOnlyWhatNoReadReturned() {
        Map<TableKey, long[]> ledger = new LinkedHashMap<>();
        Map<TableKey, long[]> last = new LinkedHashMap<>();
        accountTables(reader.poll(), ledger, last);
        for (Fault f : new Fault[] {Fault.ZERO_COUNTERS, Fault.PF_RESTART}) {
            pf.advance(Duration.ofMinutes(17));
            accountTables(reader.poll(), ledger, last);
            pf.advance(Duration.ofMinutes(3));
            pf.inject(f);
            pf.advance(Duration.ofMinutes(5));
            accountTables(reader.poll(), ledger, last);
        }
        Map<TableKey, GroundTruth.Totals> truth = pf.kernel().pf().tableTruth();
        assertThat(truth.values().stream().mapToLong(t -> t.discarded().bytesIn()).sum())
                .as("the resets discarded the 3 minutes no GET_TSTATS had returned").isPositive();
        truth.forEach((k, t) -> {
            GroundTruth.Counts o = t.observable();
            assertThat(ledger.get(k)).as(k.toString()).containsExactly(o.packetsIn(), o.packetsOut(), o.bytesIn(), o.bytesOut());
        });
    }

    /** As {@link #account} for the tables' own counters, by direction over every action. */
    static void accountTables(PfSnapshot s, Map<TableKey, long[]> ledger, Map<TableKey, long[]> last) {
        for (TableStats t : s.tables().value().orElseThrow()) {
            long[] now = new long[4];
            for (TableAction op : TableAction.values()) {
                now[0] += t.packets(Direction.IN, op);
                now[1] += t.packets(Direction.OUT, op);
                now[2] += t.bytes(Direction.IN, op);
                now[3] += t.bytes(Direction.OUT, op);
            }
            TableKey key = new TableKey(t.anchor(), t.name());
            long[] before = last.getOrDefault(key, now);
            boolean reset = false;
            for (int j = 0; j < 4; j++) {
                reset |= Long.compareUnsigned(now[j], before[j]) < 0;
            }
            long[] sum = ledger.computeIfAbsent(key, k -> new long[4]);
            for (int j = 0; j < 4; j++) {
                sum[j] += reset ? now[j] : now[j] - before[j];
            }
            last.put(key, now);
        }
    }

    /**
     * A reset-safe per-label ledger as the accounting keeps one: a label's counters that went down
     * were reset (every rule of a label resets at once), so the new value is all new traffic.
     */
    static void account(PfSnapshot s, Map<LabelKey, long[]> ledger, Map<LabelKey, long[]> last) {
        for (LabelCounters l : s.rules().value().orElseThrow().labels()) {
            if (l.label().isEmpty()) {
                continue;
            }
            long[] now = {l.packetsIn(), l.packetsOut(), l.bytesIn(), l.bytesOut()};
            long[] before = last.getOrDefault(l.key(), new long[4]);
            boolean reset = false;
            for (int j = 0; j < 4; j++) {
                reset |= Long.compareUnsigned(now[j], before[j]) < 0;
            }
            long[] sum = ledger.computeIfAbsent(l.key(), k -> new long[4]);
            for (int j = 0; j < 4; j++) {
                sum[j] += reset ? now[j] : now[j] - before[j];
            }
            last.put(l.key(), now);
        }
    }
}
