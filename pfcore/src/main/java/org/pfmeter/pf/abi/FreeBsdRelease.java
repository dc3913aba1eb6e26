package org.pfmeter.pf.abi;

import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.pfmeter.pf.abi.netlink.GenlFamily;
import org.pfmeter.pf.abi.netlink.PfNl;

/**
 * The FreeBSD releases pfmeter supports, with what their pf netlink family ({@code "pfctl"}) is known
 * to offer. The release tags themselves ({@code releng/14.3}, {@code releng/15.0} of
 * freebsd/freebsd-src) could not be read (the search index keeps one version of each file of the
 * main branch; a snapshot of the repository is over the size limit), so each release says how its
 * command set was established ({@link Basis}) and from which tree: pfcore/README.md, "Which
 * commands 14.3 and 15.0 have", lists every repository, commit and file. Pinned in
 * {@code FreeBsdReleaseTest}.
 *
 * <p>This describes; it does not decide. A running kernel's commands come from the family's
 * operation list ({@link GenlFamily#supports}); a command this table expects but the list lacks is
 * still "not present", and one the list has but the table does not expect is still used.
 */
public enum FreeBsdRelease implements PfRelease {

    /**
     * 14.3-RELEASE ({@code __FreeBSD_version} 1403000 by param.h's numbering scheme, June 2025). No stable/14 or releng/14.3 pf_nl.h
     * was found; the closest tree is OPNsense's FreeBSD 14 source (opnsense/src 496cf59f, commands
     * 1-33; OPNsense 25.7 and 26.1 are built on 14.3, but which OPNsense branch that commit is on is
     * not visible, and OPNsense carries pf backports of its own).
     */
    FREEBSD_14_3("14.3", 1403000, Basis.CLOSEST_TREE, range(1, 33),
            "opnsense/src 496cf59f sys/netpfil/pf/pf_nl.h (commands 1-33, PF_GS_* 1-16, PF_RT_* 1-85, PF_SN_* 1-16)"),

    /**
     * 15.0-RELEASE ({@code __FreeBSD_version} 1500068, releng/15.0's param.h as quoted in public notes;
     * December 2025). Commands 1-30 are certain: a
     * main-branch tree at {@code __FreeBSD_version} 1500036 (jakobsen-lrz/pfsense-freebsd-src 74a16333,
     * param.h and pf_nl.h of one commit) already has them, releng/15.0 descends from main past it,
     * and FreeBSD never removed a command. 31-37 are unknown (on main they follow 30; whether before
     * stable/15 was branched on 2025-09-05 is not established).
     */
    FREEBSD_15_0("15.0", 1500068, Basis.LOWER_BOUND, range(1, 30),
            "jakobsen-lrz/pfsense-freebsd-src 74a16333 sys/netpfil/pf/pf_nl.h (commands 1-30, PF_GS_* 1-16, "
                    + "PF_RT_* 1-83, PF_SN_* 1-16) with sys/sys/param.h __FreeBSD_version 1500036");

    /** How a release's command set was established. */
    public enum Basis {
        /** Read from the release's own tree. */
        RELEASE_TREE,
        /** Read from an ancestor of the release on the same line: the release has at least these. */
        LOWER_BOUND,
        /** Read from the nearest tree found, not the release's: expected, not certain. */
        CLOSEST_TREE
    }

    /**
     * The commands pfmeter sends: GETRULES, GETRULE, GET_STATUS, GET_TIMEOUT, GET_LIMIT,
     * GET_RULESETS, GET_RULESET, GET_SRCNODES, GET_TSTATS, and the limiter walks STATE_LIMITER_NGET
     * and SOURCE_LIMITER_NGET.
     */
    public static final SortedSet<Integer> PFMETER_READS = set(PfNl.Cmd.PFNL_CMD_GETRULES, PfNl.Cmd.PFNL_CMD_GETRULE,
            PfNl.Cmd.PFNL_CMD_GET_STATUS, PfNl.Cmd.PFNL_CMD_GET_TIMEOUT, PfNl.Cmd.PFNL_CMD_GET_LIMIT,
            PfNl.Cmd.PFNL_CMD_GET_RULESETS, PfNl.Cmd.PFNL_CMD_GET_RULESET, PfNl.Cmd.PFNL_CMD_GET_SRCNODES,
            PfNl.Cmd.PFNL_CMD_GET_TSTATS, PfNl.Cmd.PFNL_CMD_STATE_LIMITER_NGET, PfNl.Cmd.PFNL_CMD_SOURCE_LIMITER_NGET);

    /**
     * Commands no supported release has: the state/source limiters (38-46) and TABLE_TEST_ADDRS (47),
     * appended after them. pf's limiters come from OpenBSD, whose net/pfvar.h first has them on
     * 2025-11-11 (bluhm+sys a40fd103c), after releng/15.0 was branched (2025-10-03) and after 14.3
     * was released; a release branch takes no new features.
     */
    public static final SortedSet<Integer> ABSENT_FROM_ALL = range(38, 47);

    /**
     * The highest {@code PF_GS_*} attribute of GET_STATUS in the trees read for both releases
     * (opnsense/src 496cf59f, jakobsen-lrz 74a16333): {@code PF_GS_NCOUNTERS} (17) and
     * {@code PF_GS_FRAGMENTS} (18) are only in main's tree, so no fragment count is expected.
     */
    public static final int MAX_STATUS_ATTRIBUTE = PfNl.GetStatus.PF_GS_BCOUNTERS;

    private static final Pattern UNAME_RELEASE = Pattern.compile("(\\d+)\\.(\\d+)-(RELEASE|RC\\d*|BETA\\d*)(-P\\d+)?");

    private final String version;
    private final int freebsdVersion;
    private final Basis basis;
    private final SortedSet<Integer> commands;
    private final String source;

    FreeBsdRelease(String version, int freebsdVersion, Basis basis, SortedSet<Integer> commands, String source) {
        this.version = version;
        this.freebsdVersion = freebsdVersion;
        this.basis = basis;
        this.commands = commands;
        this.source = source;
    }

    /** "14.3", "15.0". */
    public String version() {
        return version;
    }

    /** The release's {@code __FreeBSD_version} (sys/sys/param.h), what {@code kern.osreldate} reports. */
    public int freebsdVersion() {
        return freebsdVersion;
    }

    public Basis basis() {
        return basis;
    }

    /** The {@code PFNL_CMD_*} numbers the release is expected to register (see {@link #basis()}). */
    public SortedSet<Integer> commands() {
        return commands;
    }

    /** Repository, commit and file the command set was read from. */
    public String source() {
        return source;
    }

    /** Whether the release is expected to answer {@code cmd}: false for {@link #ABSENT_FROM_ALL}. */
    public boolean expects(int cmd) {
        return commands.contains(cmd);
    }

    /** Commands that are certainly not there (not merely unknown). */
    public SortedSet<Integer> absent() {
        return ABSENT_FROM_ALL;
    }

    /** The commands pfmeter sends that this release is not expected to have. */
    public SortedSet<Integer> readsNotExpected() {
        return PFMETER_READS.stream().filter(c -> !expects(c)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** False for both: state and source limiters are "not present" on every supported FreeBSD release. */
    public boolean hasLimiters() {
        return expects(PfNl.Cmd.PFNL_CMD_STATE_LIMITER_NGET);
    }

    /**
     * The release a {@code uname -r} names: {@code 14.3-RELEASE}, {@code 14.3-RELEASE-p4},
     * {@code 15.0-RC1}, {@code 15.0-BETA2}. A moving branch ({@code 15.0-STABLE}, {@code 16.0-CURRENT})
     * names no release: its commands are only known from the kernel's operation list.
     */
    public static Optional<FreeBsdRelease> forKernelRelease(String unameRelease) {
        Matcher m = UNAME_RELEASE.matcher(unameRelease == null ? "" : unameRelease.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        String v = Integer.parseInt(m.group(1)) + "." + Integer.parseInt(m.group(2));
        for (FreeBsdRelease r : values()) {
            if (r.version.equals(v)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * The release a {@code kern.osreldate} belongs to. The scheme is {@code <major><two-digit
     * minor>Rxx} with R 0-4 on a release branch and on X.0-CURRENT before releng/X.0 is created, 5-9
     * after (sys/sys/param.h): so a release is its own version up to R = 4 (1403000-1403499,
     * 1500068-1500499); 15-CURRENT below 1500068 and stable/14 or stable/15 from R = 5 are no release.
     */
    public static Optional<FreeBsdRelease> forOsreldate(int osreldate) {
        for (FreeBsdRelease r : values()) {
            if (osreldate >= r.freebsdVersion && osreldate < r.freebsdVersion / 1000 * 1000 + 500) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** "freebsd-15.0", as {@code --abi} and {@code --sim-release} take it. */
    @Override
    public String id() {
        return "freebsd-" + version;
    }

    /** "FreeBSD 15.0 pf (netlink)". */
    @Override
    public String describe() {
        return "FreeBSD " + version + " pf (netlink)";
    }

    /**
     * The release whose reader serves the running kernel ({@code uname -r}): the release itself when
     * it names one ({@link #forKernelRelease}); otherwise any later 15.x (or 15-STABLE) reads as 15.0
     * and 14.3 to 14.x as 14.3, since a later kernel of the same line only appends netlink commands,
     * which the family's operation list reveals.
     *
     * @throws AbiRelease.UnsupportedReleaseException for an older FreeBSD or one that cannot be parsed
     */
    public static FreeBsdRelease forRunningKernel(String unameRelease) {
        Optional<FreeBsdRelease> exact = forKernelRelease(unameRelease);
        if (exact.isPresent()) {
            return exact.get();
        }
        Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(unameRelease == null ? "" : unameRelease.trim());
        if (m.find()) {
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            if (major == 15) {
                return FREEBSD_15_0;
            }
            if (major == 14 && minor >= 3) {
                return FREEBSD_14_3;
            }
        }
        throw new AbiRelease.UnsupportedReleaseException("the running kernel is FreeBSD '" + unameRelease
                + "', whose pf pfmeter does not read; supported: freebsd-14.3, freebsd-15.0"
                + ". If it has pf's netlink family \"pfctl\", force a release with --abi freebsd-15.0.");
    }

    /** "freebsd-14.3, freebsd-15.0": as {@code --abi} takes them. */
    public static String supportedIds() {
        return Arrays.stream(values()).map(FreeBsdRelease::id).collect(Collectors.joining(", "));
    }

    /** "14.3, 15.0". */
    public static String supported() {
        return Arrays.stream(values()).map(FreeBsdRelease::version).collect(Collectors.joining(", "));
    }

    private static SortedSet<Integer> range(int from, int to) {
        return Collections.unmodifiableSortedSet(IntStream.rangeClosed(from, to).boxed()
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    private static SortedSet<Integer> set(int... cmds) {
        return Collections.unmodifiableSortedSet(IntStream.of(cmds).boxed().collect(Collectors.toCollection(TreeSet::new)));
    }
}
