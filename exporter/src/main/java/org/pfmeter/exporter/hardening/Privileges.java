package org.pfmeter.exporter.hardening;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pfmeter.exporter.config.Config;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.PrivilegesConfig;
import org.pfmeter.pf.abi.PfDevice;
import org.pfmeter.pf.abi.PfDevices;
import org.pfmeter.pf.os.PrivilegeDrop;
import org.pfmeter.pf.os.PrivilegeDrop.PrivilegeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's privilege policy, applied once pf is open and before anything else is opened, so
 * that the database, its directory and every later file are created by the unprivileged user.
 *
 * <ul>
 *   <li>{@code privileges.user} set: drop to it (and {@code privileges.group}); any failure refuses
 *       to start (fail closed).</li>
 *   <li>not set, running as root on the kernel's pf (device or {@code --pf-fd}): refuse to start; a
 *       firewall's exporter does not keep root.</li>
 *   <li>not set, root on the simulated pf or a replayed trace: start, with a warning.</li>
 *   <li>not set, not root: start as is (the unprivileged {@code --pf-fd} set-up).</li>
 * </ul>
 */
public final class Privileges {

    private static final Logger LOG = LoggerFactory.getLogger(Privileges.class);

    /** What {@link #afterPfOpened} does. */
    public enum Decision {
        /** Not root and no user configured: nothing to give up. */
        KEEP,
        /** Switch to the configured user. */
        DROP,
        /** Root on fake data (simulator, trace): allowed, with a warning. */
        WARN_ROOT,
        /** Root on the kernel's pf with no user to switch to: refused. */
        REFUSE_ROOT
    }

    private Privileges() {
    }

    /** The policy as a pure function (unit-tested). */
    public static Decision decide(PrivilegesConfig privileges, boolean root, boolean kernelPf) {
        if (privileges.user().isPresent()) {
            return Decision.DROP;
        }
        if (!root) {
            return Decision.KEEP;
        }
        return kernelPf ? Decision.REFUSE_ROOT : Decision.WARN_ROOT;
    }

    /**
     * Applies the policy: called by the daemon right after opening {@code device}.
     *
     * @throws PrivilegeException when the daemon must not start: root would be kept on the kernel's
     *                            pf, the drop failed or did not hold, or the unprivileged user cannot
     *                            use the data directory or a file it must read later
     */
    public static void afterPfOpened(Config config, PfDevice device) throws PrivilegeException {
        afterPfOpened(config, PfDevices.isKernelDevice(device), device.describe());
    }

    /**
     * As {@link #afterPfOpened(Config, PfDevice)} for any pf: {@code kernelPf} when it is the running
     * kernel's (a device, a descriptor or FreeBSD's netlink socket), described by {@code what}.
     */
    public static void afterPfOpened(Config config, boolean kernelPf, String what) throws PrivilegeException {
        PrivilegeDrop drop = new PrivilegeDrop();
        boolean root = drop.current().euid() == 0;
        switch (decide(config.privileges(), root, kernelPf)) {
            case KEEP -> LOG.debug("not root and no privileges.user: keeping uid {}", drop.current().uid());
            case WARN_ROOT -> LOG.warn("running as root on {}: acceptable for the simulated pf or a trace, never in production; "
                    + "set privileges.user (--user) to run as an unprivileged user", what);
            case REFUSE_ROOT -> throw new PrivilegeException("pfmeter would keep root after opening " + what
                    + ": set privileges.user = _pfmeter (--user _pfmeter) so pfmeter gives up root once pf is open, "
                    + "or start it unprivileged with an already open /dev/pf descriptor (--pf-fd 3 3</dev/pf)");
            case DROP -> dropTo(drop, config);
        }
    }

    private static void dropTo(PrivilegeDrop drop, Config config) throws PrivilegeException {
        String user = config.privileges().user().orElseThrow();
        String group = config.privileges().group().orElse(null);
        int[] pw = drop.user(user);
        int gid = group == null ? pw[1] : drop.group(group);
        if (drop.current().euid() == 0) {
            prepareDataDir(config.dataDir(), pw[0], gid);
        }
        PrivilegeDrop.Identity now = drop.dropTo(user, group);
        LOG.info("gave up root: now running as {} (uid {}, gid {})", user, now.uid(), now.gid());
        List<String> problems = unusableAfterDrop(config, user);
        if (!problems.isEmpty()) {
            throw new PrivilegeException(String.join("\n", problems));
        }
    }

    /**
     * A missing data directory is created here, while still root, and given to the user: /var/db is
     * root's, and the database must be created by the user, inside. Mode 0700 ({@link DataDirectory}); an
     * existing one is left alone here and checked by {@link DataDirectory#check} when the daemon starts.
     */
    private static void prepareDataDir(Path dir, int uid, int gid) throws PrivilegeException {
        if (Files.exists(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(DataDirectory.MODE));
            Files.setAttribute(dir, "unix:gid", gid);
            Files.setAttribute(dir, "unix:uid", uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            throw new PrivilegeException("cannot create the data directory " + dir + " (data-dir) for uid " + uid + ": " + e);
        }
    }

    /** Every path the daemon opens after the drop, checked with the user's rights (access(2) uses the real uid). */
    static List<String> unusableAfterDrop(Config config, String user) {
        List<String> problems = new ArrayList<>();
        Path data = config.dataDir();
        if (!Files.isDirectory(data) || !Files.isWritable(data) || !Files.isExecutable(data)) {
            problems.add("data-dir " + data + " is not a directory writable by " + user + " after giving up root; "
                    + "fix it: install -d -o " + user + " -m 700 " + data);
        }
        for (Map.Entry<ConfigKey, Path> f : filesReadAfterStart(config).entrySet()) {
            if (!Files.isReadable(f.getValue())) {
                problems.add(f.getKey().key() + " " + f.getValue() + " is not readable by " + user
                        + " after giving up root; make it readable by that user only, e.g. chown " + user + " " + f.getValue()
                        + " && chmod 400 " + f.getValue());
            }
        }
        // Classes, JDBC drivers and other service files load lazily from pfmeter's own jar.
        for (Path jar : UnveilPlan.classPath(System.getProperty("java.class.path", ""))) {
            if (!Files.isReadable(jar)) {
                problems.add("pfmeter's class path entry " + jar + " is not readable by " + user + " after giving up root"
                        + " (classes load lazily); install the jar world-readable in a directory others can enter,"
                        + " e.g. install -m 444 pfmeter.jar /usr/local/share/pfmeter/");
            }
        }
        return problems;
    }

    /** Files the daemon reads during start-up after the drop, or while it runs. */
    static Map<ConfigKey, Path> filesReadAfterStart(Config config) {
        Map<ConfigKey, Path> files = new java.util.EnumMap<>(ConfigKey.class);
        config.jmx().remote().ifPresent(r -> {
            files.put(ConfigKey.JMX_REMOTE_PASSWORD_FILE, r.passwordFile());
            r.accessFile().ifPresent(a -> files.put(ConfigKey.JMX_REMOTE_ACCESS_FILE, a));
            r.tls().ifPresent(t -> {
                files.put(ConfigKey.JMX_REMOTE_TLS_KEYSTORE, t.keyStore());
                files.put(ConfigKey.JMX_REMOTE_TLS_KEYSTORE_PASSWORD_FILE, t.keyStorePasswordFile());
            });
        });
        if (config.accounting().enabled()) {
            config.accounting().customers().ifPresent(c -> files.put(ConfigKey.BILLING_CUSTOMERS, c));
            // read when the accounting opens, after root is given up
            config.accounting().bills().ifPresent(b -> files.put(ConfigKey.BILLING_BILLS, b));
            config.accounting().credentials().ifPresent(c -> files.put(ConfigKey.HTTP_BILLING_CREDENTIALS, c));
        }
        return files;
    }

    /** For the start-up description. */
    public static Optional<String> describe(PrivilegesConfig p) {
        return p.user().map(u -> u + p.group().map(g -> ":" + g).orElse(""));
    }
}
