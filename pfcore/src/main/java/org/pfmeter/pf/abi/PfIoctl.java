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
    DIOCGETTIMEOUT(30, "pfioc_tm"),
    DIOCGETLIMIT(39, "pfioc_limit"),
    DIOCGETRULESETS(58, "pfioc_ruleset"),
    DIOCGETRULESET(59, "pfioc_ruleset"),
    DIOCRGETTSTATS(64, "pfioc_table"),
    DIOCRGETASTATS(71, "pfioc_table"),
    DIOCIGETIFACES(87, "pfioc_iface"),
    DIOCGETQUEUES(94, "pfioc_queue"),
    DIOCGETQSTATS(96, "pfioc_qstats"),
    DIOCGETSYNFLWATS(99, "pfioc_synflwats"),
    DIOCXEND(100, "u_int32_t");

    /** Group character of every pf request. */
    public static final char GROUP = 'D';

    private final int number;
    private final String argument;

    PfIoctl(int number, String argument) {
        this.number = number;
        this.argument = argument;
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
