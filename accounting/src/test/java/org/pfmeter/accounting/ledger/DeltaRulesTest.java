package org.pfmeter.accounting.ledger;

import org.pfmeter.accounting.store.Counters;
import org.pfmeter.accounting.store.StoredCounters;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.pfmeter.pf.model.LabelKey;

/** Every reset case of the ledger's delta rules, and unsigned counters near 2^63 and 2^64. */
class DeltaRulesTest {

    private static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final LabelKey MAIN = new LabelKey("", "web");
    private static final LabelKey ANCHORED = new LabelKey("customers/acme", "web");
    private static final long TWO_63 = Long.MIN_VALUE;          // 2^63 as an unsigned long

    private static Counters c(long evaluations, long pin, long pout, long bin, long bout) {
        return new Counters(1, evaluations, pin, pout, bin, bout, 0);
    }

    private static StoredCounters prev(Counters c) {
        return new StoredCounters(c, T0);
    }

    private static LabelDelta delta(LabelKey k, Counters cur, Counters prev, HostChange h) {
        return DeltaRules.delta(k, cur, 0, prev == null ? null : prev(prev), h, T1);
    }

    @Test
    void forwardCountersGiveCurrentMinusPrevious() {
        LabelDelta d = delta(MAIN, c(30, 20, 10, 2000, 1000), c(10, 5, 5, 500, 400), HostChange.NONE);
        assertThat(d.reset()).isEqualTo(Reset.NONE);
        assertThat(new long[] {d.evaluations(), d.packetsIn(), d.packetsOut(), d.bytesIn(), d.bytesOut()})
                .containsExactly(20, 15, 5, 1500, 600);
    }

    @Test
    void theFirstPollOfAHostIsABaselineThatCountsNothing() {
        LabelDelta d = delta(MAIN, c(30, 20, 10, 2000, 1000), null, HostChange.FIRST);
        assertThat(d.reset()).isEqualTo(Reset.BASELINE);
        assertThat(d.bytesIn() + d.bytesOut() + d.packetsIn() + d.packetsOut() + d.evaluations()).isZero();
    }

    @Test
    void aNewLabelOnAKnownHostCountsItsCurrentValue() {
        LabelDelta d = delta(MAIN, c(30, 20, 10, 2000, 1000), null, HostChange.NONE);
        assertThat(d.reset()).isEqualTo(Reset.NEW_LABEL);
        assertThat(d.bytesIn()).isEqualTo(2000);
        assertThat(d.bytesOut()).isEqualTo(1000);
    }

    @Test
    void aChangedChecksumResetsMainRulesetLabelsEvenWhenTheirCountersGrewPastThePreviousValues() {
        LabelDelta d = delta(MAIN, c(300, 200, 100, 20_000, 10_000), c(10, 5, 5, 500, 400),
                new HostChange(false, true, false));
        assertThat(d.reset()).isEqualTo(Reset.RULESET_RELOADED);
        assertThat(d.bytesIn()).isEqualTo(20_000);
        assertThat(d.packetsOut()).isEqualTo(100);
    }

    @Test
    void aChangedChecksumResetsAnAnchoredLabelWhoseCountersWentBack() {
        LabelDelta d = delta(ANCHORED, c(3, 2, 1, 200, 100), c(10, 5, 5, 500, 400), new HostChange(false, true, false));
        assertThat(d.reset()).isEqualTo(Reset.RULESET_RELOADED);
        assertThat(d.bytesIn()).isEqualTo(200);
    }

    @Test
    void aChangedChecksumLeavesAnAnchorLoadedOnItsOwnCountingOn() {
        // pfctl -f pf.conf does not replace an anchor loaded with pfctl -a NAME -f: its counters go on
        LabelDelta d = delta(ANCHORED, c(30, 20, 10, 2000, 1000), c(10, 5, 5, 500, 400), new HostChange(false, true, false));
        assertThat(d.reset()).isEqualTo(Reset.NONE);
        assertThat(d.bytesIn()).isEqualTo(1500);
    }

    @Test
    void aPfRestartThatClearedTheCountersCountsTheCurrentValue() {
        LabelDelta d = delta(MAIN, c(3, 2, 1, 200, 100), c(10, 5, 5, 500, 400), new HostChange(false, false, true));
        assertThat(d.reset()).isEqualTo(Reset.PF_RESTARTED);
        assertThat(d.bytesIn()).isEqualTo(200);
        assertThat(d.bytesOut()).isEqualTo(100);
    }

    @Test
    void pfctlDisableEnableKeepsTheCountersAndIsNotCountedTwice() {
        // DIOCSTOP/DIOCSTART set pf_status.since but touch no rule
        LabelDelta d = delta(MAIN, c(30, 20, 10, 2000, 1000), c(10, 5, 5, 500, 400), new HostChange(false, false, true));
        assertThat(d.reset()).isEqualTo(Reset.NONE);
        assertThat(d.bytesIn()).isEqualTo(1500);
    }

    @Test
    void zeroedCountersWithTheSameChecksumCountTheCurrentValue() {
        LabelDelta d = delta(MAIN, c(3, 2, 1, 200, 100), c(10, 5, 5, 500, 400), HostChange.NONE);
        assertThat(d.reset()).isEqualTo(Reset.COUNTERS_BACKWARDS);
        assertThat(d.detail()).isEqualTo("evaluations 10 -> 3");
        assertThat(d.bytesIn()).isEqualTo(200);
    }

    @Test
    void oneCounterGoingBackwardsResetsTheWholeLabel() {
        // only evaluations show the zeroing; the bytes happened to grow past their old value
        LabelDelta d = delta(MAIN, c(5, 20, 10, 2000, 1000), c(100, 5, 5, 500, 400), HostChange.NONE);
        assertThat(d.reset()).isEqualTo(Reset.COUNTERS_BACKWARDS);
        assertThat(d.detail()).startsWith("evaluations 100 -> 5");
        assertThat(d.bytesIn()).isEqualTo(2000);
    }

    @Test
    void aChangedNumberOfRulesMeansTheRulesetWasReplaced() {
        Counters cur = new Counters(2, 30, 20, 10, 2000, 1000, 0);
        LabelDelta d = delta(ANCHORED, cur, c(10, 5, 5, 500, 400), HostChange.NONE);
        assertThat(d.reset()).isEqualTo(Reset.RULES_CHANGED);
        assertThat(d.bytesIn()).isEqualTo(2000);
    }

    @Test
    void countersAbove2To63AreUnsigned() {
        long prevBytes = TWO_63 + 5;                    // negative as a signed long
        LabelDelta d = delta(MAIN, c(0, 0, 0, prevBytes + 1000, 0), c(0, 0, 0, prevBytes, 0), HostChange.NONE);
        assertThat(prevBytes).isNegative();
        assertThat(d.reset()).isEqualTo(Reset.NONE);
        assertThat(d.bytesIn()).isEqualTo(1000);
    }

    @Test
    void crossing2To63IsAnOrdinaryStep() {
        LabelDelta d = delta(MAIN, c(0, 0, 0, TWO_63 + 400, 0), c(0, 0, 0, Long.MAX_VALUE - 599, 0), HostChange.NONE);
        assertThat(d.reset()).isEqualTo(Reset.NONE);
        assertThat(d.bytesIn()).isEqualTo(1000);
    }

    @Test
    void aCounterWrappingPast2To64IsAForwardStep() {
        // label counters are sums of rule counters and wrap modulo 2^64 as the kernel's do
        long prevBytes = -100;                          // 2^64 − 100
        LabelDelta d = delta(MAIN, c(0, 0, 0, 50, 0), c(0, 0, 0, prevBytes, 0), HostChange.NONE);
        assertThat(d.reset()).isEqualTo(Reset.NONE);
        assertThat(d.bytesIn()).isEqualTo(150);
    }

    @Test
    void zeroingACounterAbove2To63IsAReset() {
        LabelDelta d = delta(MAIN, c(0, 0, 0, 700, 0), c(0, 0, 0, TWO_63 + 123_456, 0), HostChange.NONE);
        assertThat(d.reset()).isEqualTo(Reset.COUNTERS_BACKWARDS);
        assertThat(d.detail()).contains("bytes in 9223372036854899264 -> 700");
        assertThat(d.bytesIn()).isEqualTo(700);
    }

    @Test
    void aStepLargerThanPlausibleInTheElapsedTimeIsAReset() {
        // 2^40 per second is the limit: 60 s allow 60 * 2^40, so going back by a little is a reset
        long prevBytes = 61 * DeltaRules.MAX_PLAUSIBLE_PER_SECOND;
        LabelDelta d = delta(MAIN, c(0, 0, 0, 5, 0), c(0, 0, 0, prevBytes, 0), HostChange.NONE);
        assertThat(d.reset()).isEqualTo(Reset.COUNTERS_BACKWARDS);
        assertThat(DeltaRules.plausibleStep(java.time.Duration.ofSeconds(60))).isEqualTo(60 * DeltaRules.MAX_PLAUSIBLE_PER_SECOND);
        assertThat(DeltaRules.plausibleStep(java.time.Duration.ofDays(100_000))).isEqualTo(DeltaRules.MAX_DELTA - 1);
    }

    @Test
    void aCurrentValueTooLargeToBeRealIsNotCounted() {
        LabelDelta d = delta(MAIN, c(0, 0, 0, -1, 7), null, HostChange.NONE);   // 2^64 − 1 bytes in
        assertThat(d.reset()).isEqualTo(Reset.NEW_LABEL);
        assertThat(d.bytesIn()).isZero();
        assertThat(d.bytesOut()).isEqualTo(7);
        assertThat(d.detail()).contains("not counted (implausible): bytes in 18446744073709551615");
    }

    @Test
    void statesCreatedFollowsThe32BitStatesTotalAcrossItsWrap() {
        Counters prev = new Counters(1, 0, 0, 0, 0, 0, 0xffff_fff0L);
        Counters cur = new Counters(1, 0, 0, 0, 0, 0, 0x10L);
        LabelDelta d = DeltaRules.delta(MAIN, cur, 3, prev(prev), HostChange.NONE, T1);
        assertThat(d.reset()).isEqualTo(Reset.NONE);
        assertThat(d.statesCreated()).isEqualTo(0x20);
        assertThat(d.statesCur()).isEqualTo(3);
    }

    @Test
    void neverNegativeNeverAbove2To62() {
        SplittableRandom rnd = new SplittableRandom(42);
        long[] interesting = {0, 1, 1000, Long.MAX_VALUE, Long.MIN_VALUE, -1, -1000, 1L << 62, (1L << 62) - 1};
        for (int i = 0; i < 50_000; i++) {
            long[] v = new long[10];
            for (int j = 0; j < v.length; j++) {
                v[j] = rnd.nextInt(3) == 0 ? interesting[rnd.nextInt(interesting.length)] : rnd.nextLong();
            }
            HostChange h = new HostChange(false, rnd.nextBoolean(), rnd.nextBoolean());
            LabelDelta d = delta(rnd.nextBoolean() ? MAIN : ANCHORED, c(v[0], v[1], v[2], v[3], v[4]),
                    c(v[5], v[6], v[7], v[8], v[9]), h);
            for (long x : new long[] {d.evaluations(), d.packetsIn(), d.packetsOut(), d.bytesIn(), d.bytesOut(), d.statesCreated()}) {
                assertThat(x).isBetween(0L, DeltaRules.MAX_DELTA - 1);
            }
        }
    }
}
