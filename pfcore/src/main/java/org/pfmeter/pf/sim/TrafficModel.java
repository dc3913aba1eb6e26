package org.pfmeter.pf.sim;

import java.util.SplittableRandom;

/**
 * The shapes traffic follows over the day and the week, as closed-form functions of simulated time.
 *
 * <p>Each profile is a rate shape {@code s(t) = 1 + Σ a_j·sin(ω_j·t + ψ_j)} (a daily component peaking
 * at the profile's hour, a half-daily and a weekly one, and three faster "noise" components of 7 to
 * 120 minutes) with {@code Σ|a_j| < 1}, so the rate never stops. Counters are its integral
 * {@link #cumulative}, which has a closed form: the value at time t depends only on the seed and t,
 * never on how often anyone looked, and a month of simulated time costs nothing to reach.
 *
 * <p>Time is whole seconds since the simulator started ({@code tau}); the phases are aligned to UTC
 * wall-clock time, so "office" traffic peaks at 13:00 UTC whatever day the simulation starts.
 */
final class TrafficModel {

    static final long DAY = 86_400;
    static final long WEEK = 7 * DAY;

    /** The traffic kinds; each exists in {@link #VARIANTS} variants with their own noise phases. */
    enum Kind {
        /** Working hours, weekdays. */
        OFFICE(13, 0.7, 0.05, 0.08),
        /** Evenings. */
        RESIDENTIAL(20, 0.5, 0.1, 0.05),
        /** Servers: mild daily swing. */
        SERVER(15, 0.3, 0.05, 0.03),
        /** Backups at night. */
        BACKUP(2, 0.62, 0.1, 0.05),
        /** Name service, time, ICMP. */
        INFRA(12, 0.35, 0.05, 0.05),
        /** What the Internet throws at the egress interface: nearly flat. */
        BACKGROUND(4, 0.1, 0.02, 0.02);

        final int peakHourUtc;
        final double daily;
        final double halfDaily;
        final double weekly;

        Kind(int peakHourUtc, double daily, double halfDaily, double weekly) {
            this.peakHourUtc = peakHourUtc;
            this.daily = daily;
            this.halfDaily = halfDaily;
            this.weekly = weekly;
        }
    }

    /** The lowest {@link #rate} of any profile: 1 less the sum of the largest amplitudes (0.7 + 0.05 + 0.08 + 3 × 0.05). */
    static final double MIN_RATE = 0.08;

    static final int VARIANTS = 2;
    static final int PROFILES = Kind.values().length * VARIANTS;
    private static final int COMPONENTS = 6;

    private final double[][] amp = new double[PROFILES][COMPONENTS];
    private final double[][] omega = new double[PROFILES][COMPONENTS];
    private final double[][] psi = new double[PROFILES][COMPONENTS];

    /**
     * @param seed       seeds the noise periods and phases
     * @param startEpoch the simulator's start in epoch seconds (tau = 0)
     */
    TrafficModel(long seed, long startEpoch) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5eed_7a11_0c0fL);
        for (Kind k : Kind.values()) {
            for (int v = 0; v < VARIANTS; v++) {
                int p = profile(k, v);
                long peak = k.peakHourUtc * 3600L + rnd.nextLong(-1800, 1800);
                // sin(ω(t − peak) + π/2) peaks at t = peak (mod period)
                set(p, 0, k.daily, DAY, startEpoch, -peak, Math.PI / 2);
                set(p, 1, k.halfDaily, DAY / 2, startEpoch, -peak, Math.PI / 2);
                // 1970-01-01 was a Thursday: peak the week on Wednesday noon
                set(p, 2, k.weekly, WEEK, startEpoch, -(6 * DAY + 12 * 3600), Math.PI / 2);
                for (int j = 3; j < COMPONENTS; j++) {
                    long period = rnd.nextLong(420, 7200);
                    double a = k == Kind.BACKGROUND ? 0.05 : 0.03;
                    set(p, j, a, period, startEpoch, 0, rnd.nextDouble(0, 2 * Math.PI));
                }
            }
        }
    }

    static int profile(Kind kind, int variant) {
        return kind.ordinal() * VARIANTS + variant;
    }

    private void set(int p, int j, double a, long period, long startEpoch, long shift, double phase) {
        amp[p][j] = a;
        omega[p][j] = 2 * Math.PI / period;
        // phase at tau = 0, reduced with integer arithmetic so large epochs lose no precision
        long at = Math.floorMod(startEpoch + shift, period);
        psi[p][j] = 2 * Math.PI * at / period + phase;
    }

    /** The rate shape at {@code tau} (dimensionless, mean 1, always between 0.08 and 1.92). */
    double rate(int profile, double tau) {
        double s = 1;
        for (int j = 0; j < COMPONENTS; j++) {
            s += amp[profile][j] * Math.sin(omega[profile][j] * tau + psi[profile][j]);
        }
        return s;
    }

    /**
     * ∫₀^tau rate dt: "seconds at mean rate" since the start. Strictly increasing; 0 at tau = 0 (and
     * for any tau ≤ 0).
     */
    double cumulative(int profile, double tau) {
        if (tau <= 0) {
            return 0;
        }
        double s = tau;
        for (int j = 0; j < COMPONENTS; j++) {
            double w = omega[profile][j];
            double ps = psi[profile][j];
            s += amp[profile][j] / w * (Math.cos(ps) - Math.cos(w * tau + ps));
        }
        return s;
    }
}
