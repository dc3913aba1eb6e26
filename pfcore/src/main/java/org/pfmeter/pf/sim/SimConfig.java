package org.pfmeter.pf.sim;

import java.util.Objects;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.Errno;

/**
 * How to build a simulated pf. Immutable; the {@code with…} methods return a changed copy.
 *
 * @param seed          seeds every random choice: same seed and same calls at the same simulated
 *                      times, same bytes
 * @param kernelRelease the release whose ABI the simulated kernel speaks (its {@code uname -r})
 * @param scale         how large a firewall it presents
 * @param counterStart  the value every unsigned 64-bit traffic counter (rule evaluations, packets
 *                      and bytes; interface, table and queue packets and bytes; the status counter
 *                      arrays) holds when the simulator starts. 0 is a freshly booted kernel; a value
 *                      such as {@code 2^63 - 10^6} ({@link #NEAR_2_63}) or {@code -10^9} (that is,
 *                      {@code 2^64 - 10^9}) lets readers be tested across 2^63 and the 2^64 wrap. A
 *                      counter that pf resets (a reload, {@code pfctl -z}) restarts from 0 as in the
 *                      kernel. Ground truth counts only what the traffic added, never this start.
 * @param unknownRequestErrno what the simulated kernel answers to a request number it does not know
 *                      (another release's struct size): {@link Errno#ENOTTY} by default, which is
 *                      what pfmeter treats as an ABI mismatch. Note that OpenBSD's own pfioctl()
 *                      answers an unknown command with EACCES on a descriptor opened read-only (the
 *                      FWRITE check's default case comes first) and ENODEV on a writable one; pass
 *                      {@link Errno#EACCES} here to see what a real read-only descriptor shows.
 */
public record SimConfig(long seed, AbiRelease kernelRelease, SimScale scale, long counterStart, int unknownRequestErrno) {

    public static final long DEFAULT_SEED = 1;

    /** 2^63 − 10^6: counters cross 2^63 (and turn negative as a signed long) within seconds of traffic. */
    public static final long NEAR_2_63 = Long.MAX_VALUE - 999_999L;

    public SimConfig {
        Objects.requireNonNull(kernelRelease, "kernelRelease");
        Objects.requireNonNull(scale, "scale");
        if (unknownRequestErrno <= 0) {
            throw new IllegalArgumentException("unknownRequestErrno must be an errno, got " + unknownRequestErrno);
        }
    }

    /** Counters from zero, ENOTTY for unknown requests. */
    public SimConfig(long seed, AbiRelease kernelRelease, SimScale scale) {
        this(seed, kernelRelease, scale, 0, Errno.ENOTTY);
    }

    public static SimConfig defaults() {
        return new SimConfig(DEFAULT_SEED, AbiRelease.V8_0, SimScale.SMALL);
    }

    public SimConfig withSeed(long s) {
        return new SimConfig(s, kernelRelease, scale, counterStart, unknownRequestErrno);
    }

    public SimConfig withRelease(AbiRelease r) {
        return new SimConfig(seed, r, scale, counterStart, unknownRequestErrno);
    }

    public SimConfig withScale(SimScale s) {
        return new SimConfig(seed, kernelRelease, s, counterStart, unknownRequestErrno);
    }

    /** Every 64-bit traffic counter starts at {@code start} (unsigned), see {@link #counterStart()}. */
    public SimConfig withCounterStart(long start) {
        return new SimConfig(seed, kernelRelease, scale, start, unknownRequestErrno);
    }

    /** The errno for a request number the simulated release does not know, see {@link #unknownRequestErrno()}. */
    public SimConfig withUnknownRequestErrno(int errno) {
        return new SimConfig(seed, kernelRelease, scale, counterStart, errno);
    }
}
