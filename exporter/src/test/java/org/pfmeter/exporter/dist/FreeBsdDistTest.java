package org.pfmeter.exporter.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.config.Config;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;
import org.pfmeter.exporter.config.HostPort;
import org.pfmeter.exporter.config.PrivilegesConfig;

/**
 * The files shipped for FreeBSD (src/dist/freebsd): the rc.d script is rc.subr-shaped and, run by
 * sh against a stand-in rc.subr that prints what run_rc_command would use, starts pfmeter as root
 * under daemon(8) with the user as --user; INSTALL puts files where the script looks; the sample
 * configuration loads; the assembly ships them.
 */
class FreeBsdDistTest {

    static final Path DIST = Path.of("src", "dist", "freebsd");
    static final Path RC = DIST.resolve("rc.d/pfmeter");

    @TempDir
    Path tmp;

    @Test
    void theRcScriptIsShellAndHasRcSubrsShape() throws Exception {
        Process p = new ProcessBuilder("sh", "-n", RC.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        String rc = Files.readString(RC);
        assertThat(rc).startsWith("#!/bin/sh\n")
                .contains("\n# PROVIDE: pfmeter\n").contains("\n# REQUIRE: LOGIN NETWORKING pf\n").contains("\n# KEYWORD: shutdown\n")
                .contains("\n. /etc/rc.subr\n").contains("\nname=\"pfmeter\"\n").contains("\nrcvar=\"pfmeter_enable\"\n")
                .contains("\nload_rc_config $name\n").contains("\n: ${pfmeter_enable:=\"NO\"}\n")
                .contains("\n: ${pfmeter_user:=\"_pfmeter\"}\n").contains("\n: ${pfmeter_flags:=\"\"}\n")
                .contains("\ncommand=\"/usr/sbin/daemon\"\n").contains("\npidfile=\"/var/run/${name}.pid\"\n")
                .endsWith("\nrun_rc_command \"$1\"\n");
        // every rc.conf variable it reads is documented in its header
        for (String v : List.of("pfmeter_enable", "pfmeter_user", "pfmeter_group", "pfmeter_config", "pfmeter_flags",
                "pfmeter_java", "pfmeter_jvm_options", "pfmeter_syslog_tag")) {
            assertThat(rc).as(v).contains("\n# " + v + " (").contains("${" + v + ":=");
        }
    }

    /**
     * What run_rc_command gets, from the script run with a stand-in rc.subr and the given rc.conf values
     * (libexec/rc/rc.subr: {@code _user=$${name}_user} runs the command through su(1), and
     * {@code rc_flags} ({@code $flags}, else {@code ${name}_flags}) goes between {@code $command} and
     * {@code $command_args}).
     */
    private Map<String, String> rcSubrSees(Map<String, String> rcConf) throws IOException, InterruptedException {
        Path subr = tmp.resolve("rc.subr");
        Files.writeString(subr, """
                load_rc_config() { :; }
                run_rc_command() {
                	eval _user=\\$${name}_user
                	if [ -n "$flags" ]; then rc_flags=$flags; else eval rc_flags=\\$${name}_flags; fi
                	printf 'arg=%s\\n' "$1"
                	printf 'user=%s\\n' "$_user"
                	printf 'rc_flags=%s\\n' "$rc_flags"
                	printf 'command=%s\\n' "$command"
                	printf 'procname=%s\\n' "$procname"
                	printf 'pidfile=%s\\n' "$pidfile"
                	printf 'required_files=%s\\n' "$required_files"
                	printf 'command_args=%s\\n' "$(echo $command_args)"
                }
                """);
        Path script = tmp.resolve("pfmeter");
        Files.writeString(script, Files.readString(RC).replace(". /etc/rc.subr", ". " + subr));
        ProcessBuilder pb = new ProcessBuilder("sh", script.toString(), "start");
        pb.environment().keySet().removeIf(k -> k.startsWith("pfmeter_") || k.equals("flags"));
        pb.environment().putAll(rcConf);
        Process p = pb.redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        Map<String, String> seen = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            seen.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return seen;
    }

    @Test
    void asShippedItStartsPfmeterAsRootUnderDaemonAndHandsItTheUser() throws Exception {
        Map<String, String> seen = rcSubrSees(Map.of());
        assertThat(seen.get("arg")).isEqualTo("start");
        // empty: rc.subr would otherwise su(1) to it, and pfmeter could not open /dev/pf or pf's netlink socket
        assertThat(seen.get("user")).isEmpty();
        // empty: rc.subr would otherwise hand them to daemon(8)
        assertThat(seen.get("rc_flags")).isEmpty();
        assertThat(seen.get("command")).isEqualTo("/usr/sbin/daemon");
        assertThat(seen.get("procname")).isEqualTo("daemon");
        assertThat(seen.get("pidfile")).isEqualTo("/var/run/pfmeter.pid");
        assertThat(seen.get("required_files")).isEqualTo("/usr/local/etc/pfmeter/pfmeter.conf /usr/local/share/pfmeter/pfmeter.jar");
        assertThat(seen.get("command_args")).isEqualTo("-f -R 10 -P /var/run/pfmeter.pid -t pfmeter -S -l daemon -s info -T pfmeter "
                + "/usr/local/bin/java -Xms32m -Xmx256m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -Djava.io.tmpdir=/tmp "
                + "--enable-native-access=ALL-UNNAMED -jar /usr/local/share/pfmeter/pfmeter.jar "
                + "run --config /usr/local/etc/pfmeter/pfmeter.conf --user _pfmeter");
    }

    @Test
    void rcConfValuesReachPfmeter() throws Exception {
        Map<String, String> seen = rcSubrSees(Map.of("pfmeter_user", "pfm", "pfmeter_group", "pfmg",
                "pfmeter_flags", "--listen 127.0.0.1:10190", "pfmeter_config", "/tmp/p.conf", "pfmeter_jvm_options", "-Xmx1g",
                "pfmeter_java", "/usr/local/openjdk21/bin/java"));
        assertThat(seen.get("user")).isEmpty();
        assertThat(seen.get("rc_flags")).isEmpty();
        assertThat(seen.get("command_args")).endsWith("/usr/local/openjdk21/bin/java -Xmx1g --enable-native-access=ALL-UNNAMED "
                + "-jar /usr/local/share/pfmeter/pfmeter.jar run --config /tmp/p.conf --user pfm --group pfmg --listen 127.0.0.1:10190");
        assertThat(seen.get("required_files")).startsWith("/tmp/p.conf ");
    }

    @Test
    void flagsFromTheEnvironmentGoToPfmeterNotToDaemon() throws Exception {
        Map<String, String> seen = rcSubrSees(Map.of("flags", "--log-level debug", "pfmeter_flags", "--ignored"));
        assertThat(seen.get("rc_flags")).isEmpty();
        assertThat(seen.get("command_args")).endsWith(" --user _pfmeter --log-level debug");
    }

    /** install lines of INSTALL: file in the tarball -> where it goes (as OpenBsdDistTest reads its INSTALL). */
    @Test
    void installPutsEachFileWhereTheRcScriptLooks() throws IOException {
        String install = Files.readString(DIST.resolve("INSTALL"));
        String rc = Files.readString(RC);
        Map<String, String> files = OpenBsdDistTest.installedFiles(install);
        assertThat(files).containsOnlyKeys("pfmeter.jar", "rc.d/pfmeter", "pfmeter.conf");
        assertThat(files.get("rc.d/pfmeter")).isEqualTo("/usr/local/etc/rc.d/pfmeter");
        assertThat(rc).contains("\npfmeter_jar=\"" + files.get("pfmeter.jar") + "\"\n")
                .contains("\n: ${pfmeter_config:=\"" + files.get("pfmeter.conf") + "\"}\n");
        assertThat(install).contains("\n\tinstall -d -o _pfmeter -g _pfmeter -m 750 /var/db/pfmeter\n")
                .contains("\n\tinstall -d -o root -g _pfmeter -m 750 /usr/local/etc/pfmeter\n")
                .containsPattern("\n\tpw useradd _pfmeter -u \\d+ -g _pfmeter .*-s /usr/sbin/nologin\n")
                .contains("\n\tsysrc pfmeter_enable=YES\n").contains("\n\tservice pfmeter start\n");
        assertThat(install.indexOf("pw groupadd")).isLessThan(install.indexOf("pw useradd"));
    }

    @Test
    void theSampleConfigurationLoads() throws Exception {
        Config c = ConfigLoader.load(Optional.of(DIST.resolve("pfmeter.conf")), Map.of(ConfigKey.PRIVILEGES_USER, "nobody",
                ConfigKey.PRIVILEGES_GROUP, "nogroup", ConfigKey.DATA_DIR, tmp.toString()));
        assertThat(c.privileges()).isEqualTo(new PrivilegesConfig(Optional.of("nobody"), Optional.of("nogroup")));
        assertThat(c.source().device()).isEqualTo("/dev/pf");
        assertThat(c.listen()).isEqualTo(new HostPort("", 10190));
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(Files.readString(DIST.resolve("pfmeter.conf"))).contains("\ndata-dir = /var/db/pfmeter\n")
                .contains("\nprivileges.user = _pfmeter\n");
    }

    /** The assembly ships every file of src/dist/freebsd, and the build runs it. */
    @Test
    void theFreeBsdTarballShipsTheDistFiles() throws IOException {
        String assembly = Files.readString(Path.of("src", "assembly", "freebsd.xml"));
        List<String> shipped = new ArrayList<>();
        for (String f : List.of("rc.d/pfmeter", "pfmeter.conf", "INSTALL")) {
            if (assembly.contains("<source>src/dist/freebsd/" + f + "</source>")) {
                shipped.add(f);
            }
        }
        assertThat(shipped).containsExactly("rc.d/pfmeter", "pfmeter.conf", "INSTALL");
        assertThat(assembly).contains("<id>freebsd</id>").contains("<source>${project.build.directory}/pfmeter.jar</source>")
                .containsPattern("rc\\.d/pfmeter</source>\\s*<outputDirectory>rc\\.d</outputDirectory>\\s*<fileMode>0555</fileMode>");
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<descriptor>src/assembly/freebsd.xml</descriptor>");
    }
}
