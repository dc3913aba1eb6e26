package org.pfmeter.exporter.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.pfmeter.exporter.Daemon;
import org.pfmeter.exporter.Version;
import org.pfmeter.exporter.config.Config;
import org.pfmeter.exporter.config.ConfigException;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;
import org.pfmeter.exporter.config.Durations;
import org.pfmeter.exporter.hardening.Privileges;
import org.pfmeter.exporter.hardening.UnveilPlan;
import org.pfmeter.pf.abi.AbiRelease;
import org.pfmeter.pf.abi.PfDevices.NoPfException;
import org.pfmeter.pf.os.NativeLayerException;
import org.pfmeter.pf.os.PrivilegeDrop.PrivilegeException;
import org.pfmeter.pf.os.HostPlatform;
import org.pfmeter.pf.os.Unveil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pfmeter run}: the daemon, until SIGTERM or SIGINT. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Polls pf and serves /metrics, /-/healthy, /-/ready and the MXBeans until SIGTERM or SIGINT.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "pfmeter.conf to read (default: none, built-in defaults).")
    Path config;

    @Option(names = "--check-config", description = "Validate the configuration, print it and exit.")
    boolean checkConfig;

    @Option(names = "--print-config-keys", description = "Print every configuration key as a Markdown table and exit.")
    boolean printKeys;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "HTTP address (default :10190).")
    String listen;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the embedded database and state live.")
    String dataDir;

    @Option(names = "--interval", paramLabel = "DURATION", description = "Time between polls, 1s to 1h (default 10s).")
    String interval;

    @Option(names = "--max-label-series", paramLabel = "N", description = "Cap on exported (anchor, label) pairs (default 10000).")
    String maxLabels;

    @Option(names = "--max-table-series", paramLabel = "N", description = "Cap on exported tables (default 2000).")
    String maxTables;

    @Option(names = "--rule-metrics", paramLabel = "true|false", description = "Export per-rule counters, pf_rule_* (default false).")
    String ruleMetrics;

    @Option(names = "--max-rule-series", paramLabel = "N", description = "Cap on exported rules with --rule-metrics (default 10000).")
    String maxRules;

    @Option(names = "--jmx", paramLabel = "true|false", description = "Register the MXBeans (default true).")
    String jmx;

    @Option(names = "--jmx-port", paramLabel = "PORT", description = "Turn remote JMX on, on this port.")
    String jmxPort;

    @Option(names = "--jmx-bind", paramLabel = "ADDRESS", description = "Address of remote JMX (default 127.0.0.1).")
    String jmxBind;

    @Option(names = "--jmx-password-file", paramLabel = "FILE", description = "Remote JMX users and passwords (required with --jmx-port).")
    String jmxPasswordFile;

    @Option(names = "--jmx-access-file", paramLabel = "FILE", description = "Remote JMX users' access (readonly|readwrite).")
    String jmxAccessFile;

    @Option(names = "--jmx-keystore", paramLabel = "FILE", description = "Key store that turns TLS on for remote JMX.")
    String jmxKeystore;

    @Option(names = "--jmx-keystore-password-file", paramLabel = "FILE", description = "File holding the key store's password.")
    String jmxKeystorePasswordFile;

    @Option(names = "--log-level", paramLabel = "LEVEL", description = "error, warn, info (default) or debug.")
    String logLevel;

    @Option(names = "--accounting", paramLabel = "true|false", description = "Account label traffic into the database (default true).")
    String accounting;

    @Option(names = "--host-name", paramLabel = "NAME", description = "Host stored with every accounting row (default: this host's name).")
    String hostName;

    @Option(names = "--jdbc-url", paramLabel = "URL", description = "Shared accounting database instead of the embedded H2.")
    String jdbcUrl;

    @Option(names = "--jdbc-user", paramLabel = "USER", description = "Database user for --jdbc-url.")
    String jdbcUser;

    @Option(names = "--jdbc-password-file", paramLabel = "FILE", description = "File holding the database password.")
    String jdbcPasswordFile;

    @Option(names = "--user", paramLabel = "USER", description = "Unprivileged user to become once pf is open (e.g. _pfmeter).")
    String user;

    @Option(names = "--group", paramLabel = "GROUP", description = "Group to become with --user (default: the user's primary group).")
    String group;

    @Mixin
    PfSourceOptions source = new PfSourceOptions();

    @Spec
    CommandSpec spec;

    Map<ConfigKey, String> overrides() {
        Map<ConfigKey, String> m = new EnumMap<>(ConfigKey.class);
        source.addTo(m);
        PfSourceOptions.put(m, ConfigKey.LISTEN, listen);
        PfSourceOptions.put(m, ConfigKey.DATA_DIR, dataDir);
        PfSourceOptions.put(m, ConfigKey.POLL_INTERVAL, interval);
        PfSourceOptions.put(m, ConfigKey.MAX_LABEL_SERIES, maxLabels);
        PfSourceOptions.put(m, ConfigKey.MAX_TABLE_SERIES, maxTables);
        PfSourceOptions.put(m, ConfigKey.METRICS_RULES, ruleMetrics);
        PfSourceOptions.put(m, ConfigKey.MAX_RULE_SERIES, maxRules);
        PfSourceOptions.put(m, ConfigKey.JMX_ENABLED, jmx);
        PfSourceOptions.put(m, ConfigKey.JMX_REMOTE_PORT, jmxPort);
        PfSourceOptions.put(m, ConfigKey.JMX_REMOTE_BIND, jmxBind);
        PfSourceOptions.put(m, ConfigKey.JMX_REMOTE_PASSWORD_FILE, jmxPasswordFile);
        PfSourceOptions.put(m, ConfigKey.JMX_REMOTE_ACCESS_FILE, jmxAccessFile);
        PfSourceOptions.put(m, ConfigKey.JMX_REMOTE_TLS_KEYSTORE, jmxKeystore);
        PfSourceOptions.put(m, ConfigKey.JMX_REMOTE_TLS_KEYSTORE_PASSWORD_FILE, jmxKeystorePasswordFile);
        PfSourceOptions.put(m, ConfigKey.LOG_LEVEL, logLevel);
        PfSourceOptions.put(m, ConfigKey.ACCOUNTING_ENABLED, accounting);
        PfSourceOptions.put(m, ConfigKey.ACCOUNTING_HOST, hostName);
        PfSourceOptions.put(m, ConfigKey.ACCOUNTING_JDBC_URL, jdbcUrl);
        PfSourceOptions.put(m, ConfigKey.ACCOUNTING_JDBC_USER, jdbcUser);
        PfSourceOptions.put(m, ConfigKey.ACCOUNTING_JDBC_PASSWORD_FILE, jdbcPasswordFile);
        PfSourceOptions.put(m, ConfigKey.PRIVILEGES_USER, user);
        PfSourceOptions.put(m, ConfigKey.PRIVILEGES_GROUP, group);
        return m;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (printKeys) {
            out.print(ConfigKey.markdownTable());
            out.flush();
            return ExitCodes.OK;
        }
        Config cfg;
        try {
            cfg = ConfigLoader.load(Optional.ofNullable(config), overrides());
        } catch (ConfigException e) {
            err.println("pfmeter: configuration refused:");
            err.println(e.getMessage());
            return ExitCodes.USAGE;
        }
        if (checkConfig) {
            out.println("configuration OK");
            out.println(describe(cfg));
            out.flush();
            return ExitCodes.OK;
        }
        Logging.forDaemon(cfg.logLevel());
        Logger log = LoggerFactory.getLogger(RunCommand.class);
        log.info("{} starting: {}", Version.describe(), describe(cfg).replace('\n', ';'));
        Daemon daemon;
        try {
            daemon = Daemon.start(cfg, Daemon.Options.production());
        } catch (NoPfException e) {
            log.error(e.getMessage());
            return ExitCodes.FAILED;
        } catch (PrivilegeException e) {
            log.error("refusing to start: {}", e.getMessage());
            return ExitCodes.FAILED;
        } catch (AbiRelease.UnsupportedReleaseException e) {
            log.error(e.getMessage());
            return ExitCodes.USAGE;
        } catch (NativeLayerException e) {
            log.error(e.getMessage());
            return ExitCodes.FAILED;
        } catch (Exception e) {
            log.error("cannot start: {}", e.getMessage());
            return ExitCodes.FAILED;
        }
        // Start-up is over (pf, database, HTTP and JMX are open): hide the rest of the filesystem
        // (OpenBSD; elsewhere Unveil says it is not available, and the platform what confines pfmeter).
        HostPlatform platform = HostPlatform.current();
        try {
            Unveil.Result view = Unveil.restrict(UnveilPlan.rules(cfg, Optional.ofNullable(config),
                    Path.of(System.getProperty("java.home")), Path.of(System.getProperty("java.io.tmpdir")),
                    UnveilPlan.classPath(System.getProperty("java.class.path"))));
            log.info(view.detail());
            view.skipped().forEach(r -> log.info("unveil: {} does not exist and stays hidden", r.path()));
            if (!platform.hasUnveil()) {
                log.info(platform.confinement());
            }
        } catch (Unveil.UnveilException | NativeLayerException e) {
            log.error("refusing to run: {}", e.getMessage());
            daemon.close();
            return ExitCodes.FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down (signal)");
            daemon.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
    }

    static String describe(Config c) {
        StringBuilder b = new StringBuilder();
        b.append("source: ");
        if (c.source().simulation().isPresent()) {
            var s = c.source().simulation().get();
            b.append("simulated pf (").append(s.release() instanceof org.pfmeter.pf.abi.FreeBsdRelease f ? "FreeBSD " + f.version()
                    : "OpenBSD " + s.release().id()).append(", seed ").append(s.seed())
                    .append(", ").append(s.scale().name().toLowerCase(java.util.Locale.ROOT)).append(", speed ").append(s.speed())
                    .append(s.faults().entries().isEmpty() ? "" : ", faults " + s.faults()).append(')');
        } else if (c.source().replay().isPresent()) {
            b.append("trace ").append(c.source().replay().get());
        } else if (c.source().fd().isPresent()) {
            b.append("descriptor ").append(c.source().fd().getAsInt());
        } else {
            b.append(c.source().device());
        }
        c.source().abi().ifPresent(a -> b.append(", ABI forced to ").append(a.id()));
        b.append("\nlisten: ").append(c.listen());
        b.append(c.http().tls().map(t -> " (HTTPS, key store " + t.keyStore() + ")").orElse(" (plain HTTP)"));
        c.accounting().credentials().ifPresent(f -> b.append("\nbilling endpoint: users in ").append(f)
                .append(c.http().allowPlainBilling() ? ", plain HTTP allowed" : ""));
        b.append("\ndata-dir: ").append(c.dataDir());
        b.append("\npoll.interval: ").append(Durations.format(c.pollInterval()));
        b.append("\nmetrics.max-label-series: ").append(c.maxLabelSeries());
        b.append("\nmetrics.max-table-series: ").append(c.maxTableSeries());
        b.append("\nmetrics.rules: ").append(c.ruleMetrics().enabled() ? "on, at most " + c.ruleMetrics().maxSeries() + " rules" : "off");
        b.append("\nsource-nodes: breakdown up to ").append(c.sourceNodes().bound()).append(" nodes, top ").append(c.sourceNodes().top());
        b.append("\njmx: ").append(c.jmx().enabled() ? "on" : "off");
        c.jmx().remote().ifPresent(r -> b.append(", remote on ").append(r.listen()).append(r.tls().isPresent() ? " (TLS)" : ""));
        b.append("\nlog.level: ").append(c.logLevel());
        b.append("\nprivileges: ").append(Privileges.describe(c.privileges()).map(u -> "switch to " + u + " once pf is open")
                .orElse("keep the starting user"));
        return b.toString();
    }
}
