package org.pfmeter.pf.abi;

/**
 * The pf requests pfmeter sends, as pfvar.h declares them: {@code _IOWR('D', number, argument)}.
 * The request number of a release is computed from that release's argument size by
 * {@link Ioccom#iowr}, never written down by hand (tests pin the results).
 */
public enum PfIoctl {
    DIOCGETRULES(6, "pfioc_rule"),
    DIOCGETRULE(7, "pfioc_rule"),
    DIOCGETSTATUS(21, "pf_status"),
    DIOCGETSTATES(25, "pfioc_states"),
    DIOCGETTIMEOUT(30, "pfioc_tm"),
    DIOCGETLIMIT(39, "pfioc_limit"),
    DIOCGETRULESETS(58, "pfioc_ruleset"),
    DIOCGETRULESET(59, "pfioc_ruleset"),
    DIOCRGETTSTATS(64, "pfioc_table"),
    DIOCGETSRCNODES(84, "pfioc_src_nodes"),
    DIOCRGETASTATS(71, "pfioc_table"),
    DIOCIGETIFACES(87, "pfioc_iface"),
    DIOCGETQUEUES(94, "pfioc_queue"),
    DIOCGETQSTATS(96, "pfioc_qstats"),
    DIOCGETSYNFLWATS(99, "pfioc_synflwats"),
    DIOCXEND(100, "u_int32_t"),
    /** pfvar.h 1.548 (7.9, 8.0): the state limiter with exactly this id. */
    DIOCGETSTATELIM(103, "pfioc_statelim", true),
    /** The source limiter with exactly this id. */
    DIOCGETSOURCELIM(104, "pfioc_sourcelim", true),
    /** A source limiter's address entries from exactly the key on. */
    DIOCGETSOURCE(105, "pfioc_source", true),
    /** The first state limiter whose id is at least the one given (RBT_NFIND). */
    DIOCGETNSTATELIM(106, "pfioc_statelim", true),
    /** The first source limiter whose id is at least the one given. */
    DIOCGETNSOURCELIM(107, "pfioc_sourcelim", true),
    /** A source limiter's address entries from the first at or after the key. */
    DIOCGETNSOURCE(108, "pfioc_source", true);

    /** Group character of every pf request. */
    public static final char GROUP = 'D';

    private final int number;
    private final String argument;

    private final boolean limiters;

    PfIoctl(int number, String argument) {
        this(number, argument, false);
    }

    PfIoctl(int number, String argument, boolean limiters) {
        this.number = number;
        this.argument = argument;
        this.limiters = limiters;
    }

    /** Whether the release's pf has this request (the limiter requests arrived with pfvar.h 1.548). */
    public boolean presentIn(AbiRelease release) {
        return !limiters || release.hasLimiters();
    }

    /** The command number within group 'D'. */
    public int number() {
        return number;
    }

    /** The C type of the argument: a struct tag, or {@code u_int32_t}. */
    public String argument() {
        return argument;
    }
}
