package org.pfmeter.exporter.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarInputStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;

/** The release tarball {@code mvn package} builds: what is in it, with which modes. */
class OpenBsdTarballIT {

    static final Path DIST = OpenBsdDistTest.DIST;

    @TempDir
    Path tmp;

    /** The one target/pfmeter-VERSION-FLAVOUR.tar.gz that {@code mvn package} built. */
    static Path tarball(String flavour) throws java.io.IOException {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            List<Path> found = s.filter(p -> p.getFileName().toString().matches("pfmeter-.+-" + flavour + "\\.tar\\.gz")).toList();
            assertThat(found).as("mvn package builds exactly one target/pfmeter-VERSION-" + flavour + ".tar.gz").hasSize(1);
            return found.get(0);
        }
    }

    /** VERSION of a tarball named pfmeter-VERSION-FLAVOUR.tar.gz. */
    static String version(Path tarball, String flavour) {
        return tarball.getFileName().toString().replaceAll("^pfmeter-(.+)-" + flavour + "\\.tar\\.gz$", "$1");
    }

    /** One tar member: its path, its permission bits and its bytes. */
    record Entry(String name, int mode, byte[] data) {
    }

    @Test
    void holdsTheJarTheWrapperTheRcScriptTheManPageTheSamplesGrafanaAndTheDocsWithTheirModes() throws Exception {
        Path tarball = tarball("openbsd");
        String version = version(tarball, "openbsd");
        Map<String, Entry> entries = read(tarball);
        String base = "pfmeter-" + version + "/";

        // what each file in the tarball is, and its mode
        Map<String, String> modes = new TreeMap<>(Map.of("pfmeter.jar", "444", "bin/pfmeter", "755", "rc.d/pfmeter", "555",
                "man/pfmeter.8", "644", "pfmeter.conf", "644", "customers.conf", "644", "bills.conf", "644", "login.conf.pfmeter", "644",
                "INSTALL", "644", "README.md", "644"));
        Map<String, Path> sources = new TreeMap<>(Map.of("bin/pfmeter", DIST.resolve("bin/pfmeter"),
                "rc.d/pfmeter", DIST.resolve("rc.d/pfmeter"), "man/pfmeter.8", DIST.resolve("man/pfmeter.8"),
                "pfmeter.conf", DIST.resolve("pfmeter.conf"), "customers.conf", DIST.resolve("customers.conf"),
                "bills.conf", DIST.resolve("bills.conf"),
                "login.conf.pfmeter", DIST.resolve("login.conf.pfmeter"), "INSTALL", DIST.resolve("INSTALL"),
                "README.md", Path.of("..", "README.md")));
        Path grafana = Path.of("..", "grafana");
        try (Stream<Path> s = Files.walk(grafana)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String name = "grafana/" + grafana.relativize(f).toString().replace('\\', '/');
                modes.put(name, "644");
                sources.put(name, f);
            }
        }
        assertThat(modes.keySet()).as("grafana/ has dashboards, alert rules and provisioning")
                .anyMatch(n -> n.matches("grafana/dashboards/.+\\.json"))
                .anyMatch(n -> n.matches("grafana/alerts/.+\\.rules\\.yml"))
                .anyMatch(n -> n.startsWith("grafana/provisioning/prometheus/"))
                .anyMatch(n -> n.startsWith("grafana/provisioning/datasources/"))
                .anyMatch(n -> n.startsWith("grafana/provisioning/dashboards/"));
        assertThat(entries.keySet()).containsExactlyInAnyOrderElementsOf(modes.keySet().stream().map(n -> base + n).toList());
        modes.forEach((name, mode) -> assertThat(Integer.toOctalString(entries.get(base + name).mode())).as(name).isEqualTo(mode));
        sources.forEach((name, source) -> assertThat(entries.get(base + name).data()).as(name).isEqualTo(readAllBytes(source)));

        // the shell accepts the scripts' syntax (OpenBSD's ksh is a superset of what they use)
        for (String script : List.of("bin/pfmeter", "rc.d/pfmeter")) {
            Path copy = Files.write(tmp.resolve(script.replace('/', '-')), entries.get(base + script).data());
            Process sh = new ProcessBuilder("sh", "-n", copy.toString()).redirectErrorStream(true).start();
            assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(sh.exitValue()).as(script + ": " + new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        }

        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(entries.get(base + "pfmeter.jar").data()))) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("org.pfmeter.exporter.cli.Main");
        }
        Path conf = Files.write(tmp.resolve("pfmeter.conf"), entries.get(base + "pfmeter.conf").data());
        Path customers = Files.write(tmp.resolve("customers.conf"), entries.get(base + "customers.conf").data());
        assertThat(ConfigLoader.load(Optional.of(conf), Map.of(ConfigKey.PRIVILEGES_USER, "nobody",
                ConfigKey.PRIVILEGES_GROUP, "nogroup", ConfigKey.DATA_DIR, tmp.resolve("data").toString(),
                ConfigKey.BILLING_CUSTOMERS, customers.toString())).listen().port())
                .isEqualTo(10190);

        // INSTALL: at most 15 commands (the indented lines, none continued on the next), and every
        // file it installs from the unpacked tarball is in it
        String install = new String(entries.get(base + "INSTALL").data(), StandardCharsets.UTF_8);
        List<String> commands = install.lines().filter(l -> l.startsWith("\t")).toList();
        assertThat(commands).hasSizeBetween(1, 15).noneMatch(l -> l.endsWith("\\"));
        assertThat(install.lines().filter(l -> l.startsWith(" ") && l.trim().matches("(install|useradd|rcctl|pkg_add) .*")))
                .as("commands are indented by a tab, so they are counted").isEmpty();
        assertThat(OpenBsdDistTest.installedFiles(install).keySet()).isNotEmpty()
                .allSatisfy(f -> assertThat(entries).containsKey(base + f));
    }

    private static byte[] readAllBytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A ustar reader for regular files: 512-byte headers, octal size and mode, data padded to 512. */
    static Map<String, Entry> read(Path tarball) throws IOException {
        Map<String, Entry> out = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tarball));
             DataInputStream data = new DataInputStream(in)) {
            byte[] header = new byte[512];
            while (true) {
                try {
                    data.readFully(header);
                } catch (EOFException e) {
                    break;
                }
                String name = field(header, 0, 100);
                if (name.isEmpty()) {
                    break;   // the two zero blocks that end the archive
                }
                String prefix = field(header, 345, 155);
                int mode = (int) octal(header, 100, 8) & 07777;
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                byte[] body = new byte[(int) size];
                data.readFully(body);
                data.skipNBytes((512 - size % 512) % 512);
                if (type == '0' || type == 0) {
                    out.put(prefix.isEmpty() ? name : prefix + "/" + name, new Entry(prefix.isEmpty() ? name : prefix + "/" + name, mode, body));
                }
            }
        }
        return out;
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len) {
        String s = field(h, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }
}
