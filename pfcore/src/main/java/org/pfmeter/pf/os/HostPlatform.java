package org.pfmeter.pf.os;

import java.util.List;
import java.util.Locale;

/**
 * The system pfmeter runs on, as far as starting up is concerned: what must be opened while still
 * root, and which confinement the system offers. A pure function of the JVM's {@code os.name}
 * ("OpenBSD", "FreeBSD", "Linux", ...), so every branch is testable anywhere.
 *
 * <p>Why opening first is enough, per system:
 * <ul>
 *   <li>OpenBSD: /dev/pf is root's (mode 0600); pf_ioctl.c checks the descriptor's FWRITE and the
 *       securelevel, not the caller's uid, so a descriptor opened as root serves the unprivileged user.</li>
 *   <li>FreeBSD: /dev/pf is made {@code make_dev(&pf_cdevsw, 0, UID_ROOT, GID_WHEEL, 0600, PF_NAME)}
 *       and pfioctl() checks {@code securelevel_gt(td->td_ucred, 2)} and {@code flags & FWRITE} (reads
 *       pass on a read-only descriptor), never a privilege. Every command of the netlink family
 *       "pfctl" has {@code .cmd_priv = PRIV_NETINET_PF} (pf_nl.c), which genl_handle_message()
 *       checks with {@code nlp_has_priv()}: {@code priv_check_cred()} against the credentials the
 *       socket was created with ({@code nlp->nl_cred = so->so_cred} at attach, netlink_domain.c;
 *       {@code nlp->nl_socket->so_cred} on main, netlink_glue.c), not the caller's. So a netlink
 *       socket opened by root keeps PRIV_NETINET_PF after setuid(2), and one opened after it would
 *       get EPERM on every pf command.</li>
 * </ul>
 */
public enum HostPlatform {
    OPENBSD("OpenBSD", List.of(Handle.DEV_PF)),
    FREEBSD("FreeBSD", List.of(Handle.DEV_PF, Handle.PF_NETLINK)),
    /** Linux and the rest: no kernel pf; only the simulator and traces, nothing to open as root. */
    OTHER("another system", List.of());

    /** Something pfmeter opens as root and keeps after giving root up. */
    public enum Handle {
        /** /dev/pf, read-only: the ioctls (all of them on OpenBSD; interfaces and ALTQ on FreeBSD). */
        DEV_PF("/dev/pf"),
        /** socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC) for the family "pfctl" (FreeBSD). */
        PF_NETLINK("the generic netlink socket for family \"pfctl\"");

        private final String description;

        Handle(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private final String displayName;
    private final List<Handle> openedAsRoot;

    HostPlatform(String displayName, List<Handle> openedAsRoot) {
        this.displayName = displayName;
        this.openedAsRoot = openedAsRoot;
    }

    /** From a JVM's {@code os.name}. */
    public static HostPlatform fromOsName(String osName) {
        String n = osName == null ? "" : osName.trim().toLowerCase(Locale.ROOT);
        if (n.startsWith("openbsd")) {
            return OPENBSD;
        }
        if (n.startsWith("freebsd")) {
            return FREEBSD;
        }
        return OTHER;
    }

    /** The system this JVM runs on. */
    public static HostPlatform current() {
        return fromOsName(System.getProperty("os.name", ""));
    }

    public String displayName() {
        return displayName;
    }

    /**
     * What must be open, in this order, before root is given up: after setuid(2) neither could be
     * opened again (devfs refuses /dev/pf; a new netlink socket carries the user's credentials).
     */
    public List<Handle> openedAsRoot() {
        return openedAsRoot;
    }

    /** True where unveil(2) restricts the filesystem view (OpenBSD only). */
    public boolean hasUnveil() {
        return this == OPENBSD;
    }

    /**
     * What the process gives up besides root, for the start-up log. FreeBSD has neither pledge(2)
     * nor unveil(2); Capsicum (cap_enter(2)) would forbid every later open(2) and socket(2), which
     * the JVM itself needs (class loading, JDBC's files, Jetty's and JMX's sockets), so pfmeter does
     * not enter capability mode.
     */
    public String confinement() {
        return switch (this) {
            case OPENBSD -> "unveil(2) restricts the filesystem view once start-up is over";
            case FREEBSD -> "no pledge(2) or unveil(2) on FreeBSD; capability mode (Capsicum) is not entered, as the JVM "
                    + "opens files and sockets after start-up: root is given up once /dev/pf and the pf netlink socket are open";
            case OTHER -> "no confinement on this system (it has no kernel pf: the simulator and traces only)";
        };
    }

    /** The command that creates an unprivileged system user on this system, for error messages. */
    public String addUserCommand(String user) {
        return switch (this) {
            case OPENBSD -> "useradd -s /sbin/nologin -d /var/empty " + user;
            case FREEBSD -> "pw useradd " + user + " -c pfmeter -d /nonexistent -s /usr/sbin/nologin";
            case OTHER -> "useradd --system --no-create-home --shell /usr/sbin/nologin " + user;
        };
    }
}
