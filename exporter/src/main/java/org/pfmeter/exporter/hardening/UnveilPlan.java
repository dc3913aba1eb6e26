package org.pfmeter.exporter.hardening;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pfmeter.exporter.config.Config;
import org.pfmeter.pf.os.Unveil;

/**
 * The paths the running daemon still needs, as unveil(2) rules: everything else becomes invisible
 * once start-up is over (OpenBSD only; see {@link Unveil}). A pure function of the configuration,
 * so it is tested on any platform.
 */
public final class UnveilPlan {

    /** Read-only system files the JVM and the resolver open while running. */
    static final List<Path> SYSTEM_READ = List.of(Path.of("/etc/hosts"), Path.of("/etc/resolv.conf"),
            Path.of("/etc/localtime"), Path.of("/usr/share/zoneinfo"), Path.of("/dev/urandom"));

    private UnveilPlan() {
    }

    /**
     * @param configFile the configuration file, if one was read (re-read by nobody today, but
     *                   --check-config style diagnostics and operators expect it visible)
     * @param javaHome   the running JVM (class loading and its native libraries: rx)
     * @param tmpDir     java.io.tmpdir (the JVM's perf data and H2's temporary files: rwc)
     * @param classPath  the jar(s) pfmeter runs from: classes and resources load lazily (r)
     */
    public static List<Unveil.Rule> rules(Config config, Optional<Path> configFile, Path javaHome, Path tmpDir,
            List<Path> classPath) {
        Map<Path, String> rules = new LinkedHashMap<>();
        add(rules, config.dataDir(), "rwc");
        config.accounting().dropDirectory().ifPresent(d -> add(rules, d, "rwc"));      // the period-end drop writes there
        configFile.ifPresent(f -> add(rules, f, "r"));
        config.source().replay().ifPresent(f -> add(rules, f, "r"));
        Privileges.filesReadAfterStart(config).values().forEach(f -> add(rules, f, "r"));
        classPath.forEach(p -> add(rules, p, "r"));
        add(rules, javaHome, "rx");
        add(rules, tmpDir, "rwc");
        SYSTEM_READ.forEach(p -> add(rules, p, "r"));
        List<Unveil.Rule> out = new ArrayList<>();
        rules.forEach((p, perms) -> out.add(new Unveil.Rule(p, perms)));
        return List.copyOf(out);
    }

    /** The entries of a java.class.path value. */
    public static List<Path> classPath(String value) {
        return java.util.Arrays.stream(value.split(java.io.File.pathSeparator)).filter(e -> !e.isBlank()).map(Path::of).toList();
    }

    /** The same path twice gets the union of the permissions, in rwxc order. */
    private static void add(Map<Path, String> rules, Path p, String perms) {
        rules.merge(p.toAbsolutePath().normalize(), perms, (a, b) -> {
            StringBuilder u = new StringBuilder();
            for (char c : "rwxc".toCharArray()) {
                if (a.indexOf(c) >= 0 || b.indexOf(c) >= 0) {
                    u.append(c);
                }
            }
            return u.toString();
        });
    }
}
