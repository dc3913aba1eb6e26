package org.pfmeter.pf.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pfmeter.pf.sim.Sims.iface;
import static org.pfmeter.pf.sim.Sims.interfaces;
import static org.pfmeter.pf.sim.Sims.label;
import static org.pfmeter.pf.sim.Sims.queues;
import static org.pfmeter.pf.sim.Sims.rules;
import static org.pfmeter.pf.sim.Sims.status;
import static org.pfmeter.pf.sim.Sims.tables;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.PfReader;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.Errno;
import org.pfmeter.pf.model.InterfaceCounters;
import org.pfmeter.pf.model.LimitCounter;
import org.pfmeter.pf.model.PfError;
import org.pfmeter.pf.model.PfSnapshot;
import org.pfmeter.pf.model.Reason;
import org.pfmeter.pf.model.RuleCounters;
import org.pfmeter.pf.model.Status;
import org.pfmeter.pf.model.Subsystem;
import org.pfmeter.pf.model.TableStats;
import org.pfmeter.pf.model.TrafficCounters;

/** Each fault gives the result its documentation promises, as a reader sees it. */
class FaultsTest {

    @Test
    void aLedgerPollReadsStatusRulesAndTablesAsAFullPollDoesAndSaysTheRestWasNotRead() {
        SimulatedPf a = Sims.small();
        SimulatedPf b = Sims.small();
        PfSnapshot full = Sims.reader(a).poll();
        PfSnapshot part = Sims.reader(b).pollForLedger();
        assertThat(part.status()).isEqualTo(full.status());
        assertThat(part.rules()).isEqualTo(full.rules());
        assertThat(part.tables()).isEqualTo(full.tables());
        assertThat(part.tables().value()).hasValueSatisfying(t -> assertThat(t).isNotEmpty());
        assertThat(part.errors()).containsOnlyKeys(Subsystem.LIMITS, Subsystem.TIMEOUTS, Subsystem.INTERFACES,
                Subsystem.QUEUES, Subsystem.SOURCE_NODES, Subsystem.STATE_LIMITERS, Subsystem.SOURCE_LIMITERS,
                Subsystem.PFSYNC);
        assertThat(part.tableAddresses().isNotPresent()).as("no table named").isTrue();
        assertThat(part.errors().values()).allSatisfy(e -> assertThat(e.message()).contains("not read"));
        // the tables named for per-address counters are read too, as a full poll reads them
        java.util.List<org.pfmeter.pf.model.TableKey> named = java.util.List.copyOf(a.addressTruth().keySet());
        PfSnapshot fullNamed = new org.pfmeter.pf.PfReader(a, a.config().kernelRelease(), a.clock(), 5, named).poll();
        PfSnapshot partNamed = new org.pfmeter.pf.PfReader(b, b.config().kernelRelease(), b.clock(), 5, named).pollForLedger();
        assertThat(partNamed.tableAddresses().value()).hasValueSatisfying(t -> assertThat(t).hasSize(named.size()))
                .isEqualTo(fullNamed.tableAddresses().value());
        b.inject(Fault.EACCES);
        assertThat(Sims.reader(b).pollForLedger().errors().get(Subsystem.RULES).kind()).isEqualTo(PfError.Kind.PERMISSION);
    }

    @Test
    void eaccesFailsEverySubsystemWithAPermissionErrorNamingTheIoctl() {
        SimulatedPf sim = Sims.small();
        PfReader reader = Sims.reader(sim);
        sim.inject(Fault.EACCES);
        Map<Subsystem, PfError> errors = reader.poll().errors();
        assertThat(errors).containsOnlyKeys(FaultScheduleTest.IOCTL_SUBSYSTEMS);
        assertThat(errors.values()).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo(PfError.Kind.PERMISSION);
            assertThat(e.errno()).isEqualTo(Errno.EACCES);
        });
        assertThat(errors.get(Subsystem.STATUS).ioctl()).isEqualTo("DIOCGETSTATUS");
        assertThat(errors.get(Subsystem.RULES).ioctl()).isEqualTo("DIOCGETRULESETS");
        assertThat(errors.get(Subsystem.INTERFACES).ioctl()).isEqualTo("DIOCIGETIFACES");
        sim.clear(Fault.EACCES);
        assertThat(reader.poll().complete()).isTrue();
    }

    @Test
    void abiMismatchMakesTheRuleRequestsUnknownNumbers() {
        SimulatedPf sim = Sims.small();                      // an 8.0 kernel
        sim.advance(Duration.ofMinutes(3));
        sim.inject(Fault.ABI_MISMATCH);                      // now it speaks 7.8
        PfSnapshot s = Sims.reader(sim).poll();              // an 8.0 reader
        PfError rules = s.errors().get(Subsystem.RULES);
        assertThat(rules.kind()).isEqualTo(PfError.Kind.ABI_MISMATCH);
        assertThat(rules.ioctl()).isEqualTo("DIOCGETRULES");
        assertThat(rules.errno()).isEqualTo(Errno.ENOTTY);
        assertThat(rules.message()).contains("DIOCGETRULES", "8.0");
        // same request number, but the kernel writes 7.8's smaller hfsc_class_stats
        assertThat(s.errors().get(Subsystem.QUEUES).kind()).isEqualTo(PfError.Kind.ABI_MISMATCH);
        assertThat(s.status().isOk()).isTrue();
        assertThat(s.interfaces().isOk()).isTrue();
        assertThat(s.tables().isOk()).isTrue();
        // a reader of the kernel's new release reads everything
        assertThat(Sims.reader(sim, AbiRelease.V7_8).poll().complete()).isTrue();
        sim.clear(Fault.ABI_MISMATCH);
        assertThat(Sims.reader(sim).poll().complete()).isTrue();
    }

    @Test
    void aReaderOfAnotherReleaseMeetsTheSameRefusalsWithoutAnyFault() {
        SimulatedPf sim = Sims.small();
        PfSnapshot s = Sims.reader(sim, AbiRelease.V7_8).poll();
        assertThat(s.errors()).containsOnlyKeys(Subsystem.RULES, Subsystem.QUEUES);
        assertThat(s.errors().get(Subsystem.RULES).kind()).isEqualTo(PfError.Kind.ABI_MISMATCH);
        // 7.8's stats buffer is too small for 7.9+'s hfsc_class_stats: hfsc_pf_qstats() says EINVAL
        assertThat(s.errors().get(Subsystem.QUEUES).errno()).isEqualTo(Errno.EINVAL);
        assertThat(s.errors().get(Subsystem.QUEUES).kind()).isEqualTo(PfError.Kind.ABI_MISMATCH);
        // 7.9 and 8.0 share the ABI
        assertThat(Sims.reader(sim, AbiRelease.V7_9).poll().complete()).isTrue();
    }

    @Test
    void aReloadChangesTheChecksumAndStartsRuleAndQueueCountersOver() {
        SimulatedPf sim = Sims.small();
        PfReader reader = Sims.reader(sim);
        sim.advance(Duration.ofHours(2));
        PfSnapshot before = reader.poll();
        sim.inject(Fault.RULESET_RELOAD);
        PfSnapshot after = reader.poll();                    // the same second
        assertThat(status(after).checksum()).isNotEqualTo(status(before).checksum());
        assertThat(rules(after)).allSatisfy(r -> {
            assertThat(r.evaluations()).isZero();
            assertThat(r.packetsIn() + r.packetsOut() + r.bytesIn() + r.bytesOut()).isZero();
            assertThat(r.statesTotal()).isZero();
            assertThat(r.statesCur()).isZero();
        });
        assertThat(queues(after)).allSatisfy(q -> assertThat(q.transmittedBytes()).isZero());
        // what the reload does not touch
        assertThat(iface(after, "em0").counters()).isEqualTo(iface(before, "em0").counters());
        assertThat(tables(after)).isEqualTo(tables(before));
        assertThat(status(after).states()).isEqualTo(status(before).states());
        assertThat(status(after).since()).isEqualTo(status(before).since());
        sim.advance(Duration.ofMinutes(1));
        PfSnapshot later = reader.poll();
        assertThat(label(later, "", "egress-v4").bytesOut()).isPositive()
                .isLessThan(label(before, "", "egress-v4").bytesOut());
        assertThat(rules(later).stream().mapToLong(RuleCounters::statesCur).sum()).isPositive();
        assertThat(status(later).checksum()).isEqualTo(status(after).checksum());
    }

    @Test
    void zeroingCountersKeepsTheChecksumAndStampsTheInterfacesAndTables() {
        SimulatedPf sim = Sims.small();
        PfReader reader = Sims.reader(sim);
        sim.advance(Duration.ofHours(1));
        PfSnapshot before = reader.poll();
        sim.advance(Duration.ofSeconds(30));
        sim.inject(Fault.ZERO_COUNTERS);
        PfSnapshot after = reader.poll();
        long now = Sims.START.getEpochSecond() + 3630;
        assertThat(status(after).checksum()).isEqualTo(status(before).checksum());
        assertThat(rules(after)).allSatisfy(r -> assertThat(r.bytesIn() + r.bytesOut() + r.evaluations()).isZero());
        assertThat(interfaces(after)).allSatisfy(i -> {
            assertThat(i.counters()).isEqualTo(TrafficCounters.ZERO);
            assertThat(i.cleared()).isEqualTo(now);
        });
        assertThat(tables(after)).allSatisfy(t -> {
            assertThat(t.match() + t.nomatch()).isZero();
            assertThat(t.cleared()).isEqualTo(now);
        });
        // the loginterface counters are read from its kif: zero too; the status counters are not
        assertThat(status(after).logInterface().counters()).isEqualTo(TrafficCounters.ZERO);
        assertThat(status(after).counters().get(Reason.MATCH)).isGreaterThan(status(before).counters().get(Reason.MATCH));
        assertThat(rules(after).stream().mapToLong(RuleCounters::statesCur).sum()).as("states stay").isPositive();
    }

    @Test
    void anInterfaceVanishesAndComesBack() {
        SimulatedPf sim = Sims.small();
        PfReader reader = Sims.reader(sim);
        sim.advance(Duration.ofHours(1));
        PfSnapshot before = reader.poll();
        sim.inject(Fault.INTERFACE_VANISH);
        PfSnapshot gone = reader.poll();
        assertThat(interfaces(gone)).extracting(InterfaceCounters::name).doesNotContain("vlan300");
        assertThat(iface(gone, "vlan").members()).containsExactly("vlan100", "vlan200");
        assertThat(iface(gone, "all").members()).hasSize(7);
        // the traffic counted on it stops; the rest goes on
        sim.advance(Duration.ofMinutes(10));
        PfSnapshot later = reader.poll();
        assertThat(label(later, "customers/globex/web", "globex-https").bytesIn())
                .isEqualTo(label(before, "customers/globex/web", "globex-https").bytesIn());
        assertThat(label(later, "customers/acme", "acme-web").bytesIn())
                .isGreaterThan(label(before, "customers/acme", "acme-web").bytesIn());

        sim.inject(Fault.INTERFACE_APPEAR);
        PfSnapshot back = reader.poll();
        InterfaceCounters vlan300 = iface(back, "vlan300");
        assertThat(vlan300.counters()).as("a new kif").isEqualTo(TrafficCounters.ZERO);
        assertThat(iface(back, "vlan").members()).containsExactly("vlan100", "vlan200", "vlan300");
        sim.advance(Duration.ofMinutes(1));
        assertThat(iface(reader.poll(), "vlan300").counters()).isNotEqualTo(TrafficCounters.ZERO);

        sim.inject(Fault.INTERFACE_APPEAR);                  // nothing left to come back: a new VLAN
        PfSnapshot more = reader.poll();
        assertThat(iface(more, "vlan").members()).containsExactly("vlan100", "vlan200", "vlan300", "vlan400");
        assertThat(iface(more, "vlan400").cleared()).isPositive();
        assertThat(more).satisfies(s -> assertThat(s.interfaces().value()).contains(sim.expected().interfaces()));
    }

    @Test
    void aStateRampReachesTheLimitAndStaysThere() {
        SimulatedPf sim = Sims.small();
        PfReader reader = Sims.reader(sim);
        sim.advance(Duration.ofMinutes(20));
        Status calm = status(reader.poll());
        assertThat(calm.states()).isLessThan(5_000);
        sim.inject(Fault.STATE_RAMP);
        sim.advance(Duration.ofMinutes(4));
        Status rising = status(reader.poll());
        assertThat(rising.states()).isGreaterThan(calm.states()).isLessThan(10_000);
        assertThat(rising.syncookiesActive()).isFalse();
        sim.advance(Duration.ofMinutes(2));
        Status flood = status(reader.poll());
        assertThat(flood.syncookiesActive()).isTrue();
        assertThat(flood.statesHalfopen().getAsLong()).isGreaterThan(flood.syncookieHiwat().getAsLong());
        assertThat(flood.syncookiesInflightTotal().getAsLong()).isPositive();
        sim.advance(Duration.ofMinutes(5));
        PfSnapshot full = reader.poll();
        assertThat(status(full).states()).isEqualTo(10_000);
        assertThat(iface(full, "all").states()).isEqualTo(10_000);
        sim.advance(Duration.ofHours(1));
        Status stays = status(reader.poll());
        assertThat(stays.states()).isEqualTo(10_000);
        assertThat(stays.counters().get(Reason.STATE_LIMIT)).isPositive();
        assertThat(stays.limitCounters().get(LimitCounter.SYNFLOODS)).isEqualTo(1);
        assertThat(stays.limitCounters().get(LimitCounter.SYNCOOKIES_SENT)).isPositive();
        sim.clear(Fault.STATE_RAMP);
        sim.advance(Duration.ofMinutes(2));
        Status over = status(reader.poll());
        assertThat(over.states()).isLessThan(5_000);
        assertThat(over.syncookiesActive()).isFalse();
        assertThat(over.counters().get(Reason.STATE_LIMIT)).isEqualTo(stays.counters().get(Reason.STATE_LIMIT));
    }

    @Test
    void aRestartStartsTheStatusOverWithANewSince() {
        SimulatedPf sim = Sims.small();
        PfReader reader = Sims.reader(sim);
        sim.advance(Duration.ofHours(2));
        PfSnapshot before = reader.poll();
        sim.inject(Fault.PF_RESTART);
        PfSnapshot after = reader.poll();
        Status b = status(before);
        Status a = status(after);
        assertThat(a.since()).isGreaterThan(b.since() + 2 * 86_400);      // the kernel has been up for days
        assertThat(a.counters().toArray()).containsOnly(0L);
        assertThat(a.stateOperations().toArray()).containsOnly(0L);
        assertThat(a.states()).isZero();
        assertThat(a.checksum()).as("the same ruleset").isEqualTo(b.checksum());
        assertThat(a.stateid().getAsLong()).isEqualTo(b.stateid().getAsLong());
        assertThat(rules(after)).allSatisfy(r -> assertThat(r.bytesIn() + r.packetsOut()).isZero());
        assertThat(tables(after)).allSatisfy(t -> assertThat(t.match()).isZero());
        assertThat(iface(after, "em0").counters()).isEqualTo(iface(before, "em0").counters());
        sim.advance(Duration.ofMinutes(1));
        Status later = status(reader.poll());
        assertThat(later.states()).isPositive();
        assertThat(later.counters().get(Reason.MATCH)).isPositive();
        assertThat(later.since()).isEqualTo(a.since());
    }

    @Test
    void tablesAndTheirCountersSurviveAReloadButNotARestart() {
        SimulatedPf sim = Sims.small();
        PfReader reader = Sims.reader(sim);
        sim.advance(Duration.ofMinutes(30));
        sim.inject(Fault.RULESET_RELOAD);
        sim.advance(Duration.ofMinutes(30));
        TableStats web = tables(reader.poll()).get(7);
        assertThat(web.name()).isEqualTo("webservers");
        assertThat(web.cleared()).isLessThan(Sims.START.getEpochSecond());
        sim.inject(Fault.PF_RESTART);
        assertThat(tables(reader.poll()).get(7).cleared()).isEqualTo(Sims.START.getEpochSecond() + 3600);
    }

    @Test
    void instantFaultsCannotBeCleared() {
        SimulatedPf sim = Sims.small();
        PfReader reader = Sims.reader(sim);
        sim.advance(Duration.ofMinutes(5));
        sim.inject(Fault.BUSY_RULE_WALK);
        sim.clear(Fault.BUSY_RULE_WALK);                     // cancelled before any walk met it
        CountingPfDevice dev = new CountingPfDevice(sim, AbiRelease.V8_0);
        new PfReader(dev, AbiRelease.V8_0, sim.clock()).poll();
        assertThat(dev.count("DIOCGETRULE", Errno.EBUSY)).isZero();
        String checksum = status(reader.poll()).checksum();
        sim.inject(Fault.RULESET_RELOAD);
        sim.clear(Fault.RULESET_RELOAD);
        assertThat(status(reader.poll()).checksum()).isNotEqualTo(checksum);
        assertThat(Fault.values()).filteredOn(Fault::lasting)
                .containsExactly(Fault.BUSY_ALWAYS, Fault.EACCES, Fault.ABI_MISMATCH, Fault.STATE_RAMP);
    }
}
