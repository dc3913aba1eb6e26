package org.pfmeter.pf.sim;

import java.util.LinkedHashMap;
import java.util.Map;
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
 * @param names         other names for the firewall's labels, tables, queues and anchors, by their
 *                      usual name (empty: the usual names). A new name is text as pfmeter decodes
 *                      kernel bytes ({@link org.pfmeter.pf.abi.KernelStrings}): {@code \xNN} puts the
 *                      byte NN (not UTF-8) into the kernel's char array, {@code \\} a backslash.
 *                      {@link #ODD_NAMES} holds quotes, backslashes, newlines, tabs, leading
 *                      {@code = + - @} and non-UTF-8 bytes.
 * @param pfsync        the firewall is one of a CARP pair with pfsync configured: a pfsync0 interface
 *                      exists and {@code net.inet.pfsync.stats} counts the state updates it sends
 *                      and receives (off: the kernel still answers the sysctl, with zeros, as a
 *                      GENERIC kernel without a pfsync interface does)
 */
public record SimConfig(long seed, AbiRelease kernelRelease, SimScale scale, long counterStart, int unknownRequestErrno,
        Map<String, String> names, boolean pfsync) {

    public static final long DEFAULT_SEED = 1;

    /** 2^63 − 10^6: counters cross 2^63 (and turn negative as a signed long) within seconds of traffic. */
    public static final long NEAR_2_63 = Long.MAX_VALUE - 999_999L;

    /**
     * Names every exporter must carry through intact: quotes, backslashes, newlines, tabs, {@code =},
     * {@code +}, {@code -}, {@code @} at the start (spreadsheet formulas), commas and semicolons, UTF-8
     * beyond ASCII and bytes that are not UTF-8 ({@code \xNN}). Labels of SMALL and LARGE, two
     * tables, two queues and two anchors of SMALL.
     */
    public static final Map<String, String> ODD_NAMES = odd();

    private static Map<String, String> odd() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("lan-web", "=HYPERLINK(\"http://x\",\"web\")");
        m.put("lan-dns", "dns \"quoted\" back\\\\slash");
        m.put("lan-ntp", "ntp\nsecond line\ttab");
        m.put("lan-ssh", "+ssh, comma; semicolon");
        m.put("lan-mail", "-mail 'single'");
        m.put("admin-ssh", "@admin {curly} = x");
        m.put("dmz-https", "dmz\\xffhttps\\xc3");
        m.put("dmz-smtp", "smtp Grüße ✓");
        m.put("office-web", " leading space");
        m.put("admins", "adm\"ins\\\\");
        m.put("printers", "=print\\xfe");
        m.put("voip", "vo ip\"\\\\");
        m.put("bulk", "=bulk\nq");
        m.put("office", "off ice\"=");
        m.put("acme", "ac\\xe9me");
        return java.util.Collections.unmodifiableMap(m);
    }

    public SimConfig {
        Objects.requireNonNull(kernelRelease, "kernelRelease");
        names = Map.copyOf(Objects.requireNonNull(names, "names"));
        Objects.requireNonNull(scale, "scale");
        if (unknownRequestErrno <= 0) {
            throw new IllegalArgumentException("unknownRequestErrno must be an errno, got " + unknownRequestErrno);
        }
    }

    /** Counters from zero, ENOTTY for unknown requests. */
    public SimConfig(long seed, AbiRelease kernelRelease, SimScale scale) {
        this(seed, kernelRelease, scale, 0, Errno.ENOTTY, Map.of(), false);
    }

    /** The usual names. */
    public SimConfig(long seed, AbiRelease kernelRelease, SimScale scale, long counterStart, int unknownRequestErrno) {
        this(seed, kernelRelease, scale, counterStart, unknownRequestErrno, Map.of(), false);
    }

    /** Without pfsync. */
    public SimConfig(long seed, AbiRelease kernelRelease, SimScale scale, long counterStart, int unknownRequestErrno,
            Map<String, String> names) {
        this(seed, kernelRelease, scale, counterStart, unknownRequestErrno, names, false);
    }

    /** With or without pfsync configured, see {@link #pfsync()}. */
    public SimConfig withPfsync(boolean on) {
        return new SimConfig(seed, kernelRelease, scale, counterStart, unknownRequestErrno, names, on);
    }

    public static SimConfig defaults() {
        return new SimConfig(DEFAULT_SEED, AbiRelease.V8_0, SimScale.SMALL);
    }

    public SimConfig withSeed(long s) {
        return new SimConfig(s, kernelRelease, scale, counterStart, unknownRequestErrno, names, pfsync);
    }

    public SimConfig withRelease(AbiRelease r) {
        return new SimConfig(seed, r, scale, counterStart, unknownRequestErrno, names, pfsync);
    }

    public SimConfig withScale(SimScale s) {
        return new SimConfig(seed, kernelRelease, s, counterStart, unknownRequestErrno, names, pfsync);
    }

    /** Every 64-bit traffic counter starts at {@code start} (unsigned), see {@link #counterStart()}. */
    public SimConfig withCounterStart(long start) {
        return new SimConfig(seed, kernelRelease, scale, start, unknownRequestErrno, names, pfsync);
    }

    /** Other names for labels, tables, queues and anchors, see {@link #names()}. */
    public SimConfig withNames(Map<String, String> n) {
        return new SimConfig(seed, kernelRelease, scale, counterStart, unknownRequestErrno, n, pfsync);
    }

    /** The errno for a request number the simulated release does not know, see {@link #unknownRequestErrno()}. */
    public SimConfig withUnknownRequestErrno(int errno) {
        return new SimConfig(seed, kernelRelease, scale, counterStart, errno, names, pfsync);
    }
}
