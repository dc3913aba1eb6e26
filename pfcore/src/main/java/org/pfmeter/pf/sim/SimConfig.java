package org.pfmeter.pf.sim;

import org.pfmeter.pf.abi.AbiRelease;

/**
 * How to build a simulated pf.
 *
 * @param seed          seeds every random choice: same seed and same calls, same bytes
 * @param kernelRelease the release whose ABI the simulated kernel speaks (its {@code uname -r})
 * @param scale         how large a firewall it presents
 */
public record SimConfig(long seed, AbiRelease kernelRelease, SimScale scale) {

    public static final long DEFAULT_SEED = 1;

    public static SimConfig defaults() {
        return new SimConfig(DEFAULT_SEED, AbiRelease.V8_0, SimScale.SMALL);
    }

    public SimConfig withSeed(long s) {
        return new SimConfig(s, kernelRelease, scale);
    }

    public SimConfig withRelease(AbiRelease r) {
        return new SimConfig(seed, r, scale);
    }

    public SimConfig withScale(SimScale s) {
        return new SimConfig(seed, kernelRelease, s);
    }
}
