package org.pfmeter.exporter.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.accounting.billing.CustomerMapping;
import org.pfmeter.exporter.config.Config;
import org.pfmeter.exporter.config.ConfigException;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;
import org.pfmeter.exporter.config.HostPort;
import org.pfmeter.exporter.config.PrivilegesConfig;
import org.pfmeter.pf.model.LabelKey;

/** The files shipped for OpenBSD (src/dist/openbsd) are what the code accepts, and agree with each other. */
class OpenBsdDistTest {

    static final Path DIST = Path.of("src", "dist", "openbsd");
    static final Path PROMETHEUS_SAMPLE = Path.of("..", "grafana", "provisioning", "prometheus", "prometheus.yml");

    @TempDir
    Path tmp;

    /** _pfmeter exists on an installed OpenBSD host, not here: nobody and nogroup stand in. */
    private Map<ConfigKey, String> standIns(Map<ConfigKey, String> more) {
        Map<ConfigKey, String> o = new LinkedHashMap<>(Map.of(ConfigKey.PRIVILEGES_USER, "nobody",
                ConfigKey.PRIVILEGES_GROUP, "nogroup", ConfigKey.DATA_DIR, tmp.toString()));
        o.putAll(more);
        return o;
    }

    @Test
    void theSampleConfigurationLoads() throws Exception {
        Config c = ConfigLoader.load(Optional.of(DIST.resolve("pfmeter.conf")), standIns(Map.of()));
        assertThat(c.privileges()).isEqualTo(new PrivilegesConfig(Optional.of("nobody"), Optional.of("nogroup")));
        assertThat(c.source().device()).isEqualTo("/dev/pf");
        assertThat(c.source().simulation()).isEmpty();
        assertThat(c.listen()).isEqualTo(new HostPort("", 10190));
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.accounting().enabled()).isTrue();
        assertThat(c.accounting().customers()).isEmpty();
        assertThat(c.jmx().remote()).isEmpty();
    }

    @Test
    void asShippedItNamesTheOpenBsdAccountsAndNothingElseIsWrong() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(DIST.resolve("pfmeter.conf")), Map.of(ConfigKey.DATA_DIR, tmp.toString())))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(Arrays.asList(e.getMessage().split("\n"))).hasSize(2).allSatisfy(line ->
                        assertThat(line).containsPattern("privileges\\.(user|group) = '_pfmeter': (user|group) '_pfmeter' does not exist")));
        assertThat(DIST.resolve("pfmeter.conf")).content().contains("data-dir = /var/db/pfmeter")
                .contains("\n#billing.customers = /etc/pfmeter/customers.conf\n");
    }

    /** The line the sample config leaves commented out, pointed at the sample mapping: the real loader accepts both. */
    @Test
    void theSampleCustomerMappingLoadsThroughTheConfiguration() throws Exception {
        Path customers = DIST.resolve("customers.conf");
        Config c = ConfigLoader.load(Optional.of(DIST.resolve("pfmeter.conf")),
                standIns(Map.of(ConfigKey.BILLING_CUSTOMERS, customers.toString())));
        assertThat(c.accounting().customers()).contains(customers);
    }

    /** The sample maps labels of the simulated firewall (pfcore's Topologies.small), as its comment says. */
    @Test
    void theSampleCustomerMappingBillsTheSimulatedFirewallsLabels() {
        CustomerMapping m = CustomerMapping.load(DIST.resolve("customers.conf"));
        assertThat(m.customers()).containsExactly("ACME Corp", "DMZ hosting", "Globex", "Office");
        Map<LabelKey, Optional<String>> expected = new LinkedHashMap<>();
        expected.put(new LabelKey("customers/acme", "acme-web"), Optional.of("ACME Corp"));
        expected.put(new LabelKey("customers/acme", "acme-backup"), Optional.of("ACME Corp"));
        expected.put(new LabelKey("customers/globex", "globex-transit"), Optional.of("Globex"));
        expected.put(new LabelKey("customers/globex/web", "globex-https"), Optional.of("Globex"));
        expected.put(new LabelKey("", "dmz-https"), Optional.of("DMZ hosting"));
        expected.put(new LabelKey("", "dmz-smtp"), Optional.of("DMZ hosting"));
        expected.put(new LabelKey("office", "office-voip"), Optional.of("Office"));
        expected.put(new LabelKey("office", "office-dns"), Optional.empty());
        expected.put(new LabelKey("customers", "customers-transit"), Optional.empty());
        expected.put(new LabelKey("", "lan-web"), Optional.empty());
        expected.forEach((label, customer) -> assertThat(m.customerOf(label)).as(label.toString()).isEqualTo(customer));
    }

    /**
     * Prometheus' sample scrape job names the firewalls by name on pfmeter's port, so the sample config
     * must listen on that port and on an address such a scrape can reach: not loopback only.
     */
    @Test
    void theSampleConfigListensWhereTheSamplePrometheusScrapes() throws Exception {
        HostPort listen = ConfigLoader.load(Optional.of(DIST.resolve("pfmeter.conf")), standIns(Map.of())).listen();
        List<String> targets = scrapeTargets(Files.readString(PROMETHEUS_SAMPLE), "pfmeter");
        assertThat(targets).isNotEmpty();
        for (String target : targets) {
            int colon = target.lastIndexOf(':');
            String host = target.substring(0, colon);
            assertThat(Integer.parseInt(target.substring(colon + 1))).as("port of scrape target " + target)
                    .isEqualTo(listen.port());
            if (!loopback(host)) {
                assertThat(listen.anyAddress() || !loopback(listen.host()))
                        .as("pfmeter.conf listens on " + listen + " but Prometheus scrapes " + target)
                        .isTrue();
            }
        }
    }

    /** localhost or a loopback address literal; names are not resolved (fw1.example.net need not exist). */
    static boolean loopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equals("localhost")) {
            return true;
        }
        try {
            // a literal is parsed, never looked up
            return (h.matches("[0-9.]+") || h.contains(":")) && InetAddress.getByName(h).isLoopbackAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void loopbackMeansLocalhostOrALoopbackLiteral() {
        assertThat(List.of("localhost", "127.0.0.1", "127.1.2.3", "[::1]", "::1")).allSatisfy(h -> assertThat(loopback(h)).as(h).isTrue());
        assertThat(List.of("fw1.example.net", "192.0.2.1", "[2001:db8::1]", "0.0.0.0")).allSatisfy(h -> assertThat(loopback(h)).as(h).isFalse());
    }

    /**
     * The {@code targets} of one scrape job's static_configs, read line by line: the sample is written in
     * one shape (a {@code - job_name:} item, then {@code - targets:} with one quoted item per line),
     * which this checks as it goes, so no YAML library is needed.
     */
    static List<String> scrapeTargets(String yaml, String job) {
        List<String> targets = new ArrayList<>();
        boolean inJob = false;
        boolean inTargets = false;
        Pattern item = Pattern.compile("^\\s+- '([^']+)'\\s*$");
        for (String line : yaml.split("\n")) {
            if (line.matches("^\\s*- job_name:.*")) {
                inJob = line.matches("^\\s*- job_name: " + Pattern.quote(job) + "\\s*$");
                inTargets = false;
            } else if (inJob && line.matches("^\\s+- targets:\\s*$")) {
                inTargets = true;
            } else if (inTargets) {
                Matcher m = item.matcher(line);
                if (m.matches()) {
                    targets.add(m.group(1));
                } else if (!line.isBlank() && !line.trim().startsWith("#")) {
                    inTargets = false;
                }
            }
        }
        return targets;
    }

    @Test
    void theScrapeTargetReaderReadsOnlyTheNamedJob() {
        String yaml = """
                scrape_configs:
                  - job_name: other
                    static_configs:
                      - targets:
                          - 'a:1'
                  - job_name: pfmeter
                    static_configs:
                      - targets:
                          # a comment
                          - 'fw1:10190'
                          - 'fw2:10190'
                        labels: {site: x}
                """;
        assertThat(scrapeTargets(yaml, "pfmeter")).containsExactly("fw1:10190", "fw2:10190");
        assertThat(scrapeTargets(yaml, "none")).isEmpty();
    }

    @Test
    void theRcScriptKeepsRootToOpenPfAndRunsTheWrapperInTheBackground() throws Exception {
        String rc = Files.readString(DIST.resolve("rc.d/pfmeter"));
        assertThat(rc).startsWith("#!/bin/ksh\n").contains("\ndaemon=\"/usr/local/bin/pfmeter\"\n")
                .contains("\ndaemon_user=\"root\"\n").contains("\nrc_bg=YES\n")
                .contains(". /etc/rc.d/rc.subr").endsWith("rc_cmd $1\n");
        assertThat(Files.readString(DIST.resolve("login.conf.pfmeter"))).contains("pfmeter:\\").contains(":datasize=1024M:");
    }

    /** install lines of INSTALL: the file in the tarball and where it goes. */
    static Map<String, String> installedFiles(String install) {
        Map<String, String> out = new LinkedHashMap<>();
        Pattern p = Pattern.compile("^\tinstall (?:-[ogm] \\S+ )+((?:[a-z][\\w./-]* )+)(/\\S+)$");
        for (String line : install.split("\n")) {
            Matcher m = p.matcher(line.replaceFirst("^\t\\[ -e \\S+ \\] \\|\\| ", "\t"));
            if (m.matches()) {
                for (String source : m.group(1).trim().split(" ")) {
                    String dest = m.group(2);
                    out.put(source, dest.endsWith("/") ? dest + Path.of(source).getFileName() : dest);
                }
            }
        }
        return out;
    }

    /** INSTALL puts every file where the wrapper, the rc.d script and the man page look for it. */
    @Test
    void installPutsEachFileWhereTheOthersLookForIt() throws IOException {
        String install = Files.readString(DIST.resolve("INSTALL"));
        String wrapper = Files.readString(DIST.resolve("bin/pfmeter"));
        String rc = Files.readString(DIST.resolve("rc.d/pfmeter"));
        String man = Files.readString(DIST.resolve("man/pfmeter.8"));
        Map<String, String> files = installedFiles(install);
        assertThat(files).containsOnlyKeys("login.conf.pfmeter", "pfmeter.jar", "bin/pfmeter", "rc.d/pfmeter",
                "man/pfmeter.8", "pfmeter.conf", "customers.conf");
        assertThat(files.get("pfmeter.jar")).isEqualTo("/usr/local/share/pfmeter/pfmeter.jar");
        assertThat(wrapper).contains("\npfmeter_jar=" + files.get("pfmeter.jar") + "\n");
        assertThat(rc).contains("\npfmeter_jar=\"" + files.get("pfmeter.jar") + "\"\n")
                .contains("\ndaemon=\"" + files.get("bin/pfmeter") + "\"\n")
                .contains("\ndaemon_flags=\"--config " + files.get("pfmeter.conf") + "\"\n");
        assertThat(files.get("rc.d/pfmeter")).isEqualTo("/etc/rc.d/pfmeter");
        assertThat(files.get("login.conf.pfmeter")).isEqualTo("/etc/login.conf.d/pfmeter");
        assertThat(files.get("man/pfmeter.8")).isEqualTo("/usr/local/man/man8/pfmeter.8");
        assertThat(files.get("pfmeter.conf")).isEqualTo("/etc/pfmeter/pfmeter.conf");
        assertThat(files.get("customers.conf")).isEqualTo("/etc/pfmeter/customers.conf");
        assertThat(wrapper).contains("\njvm_options_file=/etc/pfmeter/jvm.options\n");
        for (String path : List.of(files.get("pfmeter.jar"), files.get("pfmeter.conf"), files.get("customers.conf"),
                "/etc/pfmeter/jvm.options", "/var/db/pfmeter", files.get("login.conf.pfmeter"))) {
            assertThat(man).as("the man page's FILES").contains(".It Pa " + path + "\n");
        }
        // the directories: config readable by _pfmeter only through its group, data writable by _pfmeter
        assertThat(install).contains("\n\tinstall -d -o root -g _pfmeter -m 750 /etc/pfmeter\n")
                .contains("\n\tinstall -d -o _pfmeter -g _pfmeter -m 750 /var/db/pfmeter\n")
                .containsPattern("\n\tuseradd -u \\d+ -g =uid -L pfmeter -s /sbin/nologin -d /var/empty .* _pfmeter\n")
                .contains("\n\tpkg_add jdk%21 libffi\n").contains("jdk%17").contains("jdk%25")
                .contains("\n\trcctl enable pfmeter\n").contains("\n\trcctl start pfmeter\n");
        // the login class is installed before useradd -L names it
        assertThat(install.indexOf("/etc/login.conf.d/pfmeter")).isLessThan(install.indexOf("useradd"));
    }
}
