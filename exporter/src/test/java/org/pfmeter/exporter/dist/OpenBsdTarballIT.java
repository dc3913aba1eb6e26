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

    @TempDir
    Path tmp;

    /** One tar member: its path, its permission bits and its bytes. */
    record Entry(String name, int mode, byte[] data) {
    }

    @Test
    void holdsTheJarTheRcScriptTheSampleConfigAndTheDocsWithTheirModes() throws Exception {
        Path tarball;
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            List<Path> found = s.filter(p -> p.getFileName().toString().matches("pfmeter-.+-openbsd\\.tar\\.gz")).toList();
            assertThat(found).as("mvn package builds exactly one target/pfmeter-VERSION-openbsd.tar.gz").hasSize(1);
            tarball = found.get(0);
        }
        String version = tarball.getFileName().toString().replaceAll("^pfmeter-(.+)-openbsd\\.tar\\.gz$", "$1");
        Map<String, Entry> entries = read(tarball);
        String base = "pfmeter-" + version + "/";
        assertThat(entries.keySet()).containsExactlyInAnyOrder(base + "pfmeter.jar", base + "rc.d/pfmeter",
                base + "pfmeter.conf", base + "login.conf.pfmeter", base + "INSTALL", base + "README.md");

        Entry rc = entries.get(base + "rc.d/pfmeter");
        assertThat(Integer.toOctalString(rc.mode())).as("rc.d script mode").isEqualTo("555");
        assertThat(Integer.toOctalString(entries.get(base + "pfmeter.jar").mode())).isEqualTo("444");
        for (String doc : List.of("pfmeter.conf", "login.conf.pfmeter", "INSTALL", "README.md")) {
            assertThat(Integer.toOctalString(entries.get(base + doc).mode())).as(doc).isEqualTo("644");
        }
        assertThat(rc.data()).isEqualTo(Files.readAllBytes(OpenBsdDistTest.DIST.resolve("rc.d/pfmeter")));
        assertThat(entries.get(base + "README.md").data()).isEqualTo(Files.readAllBytes(Path.of("..", "README.md")));

        // the shell accepts the script's syntax (OpenBSD's ksh is a superset of what it uses)
        Path script = Files.write(tmp.resolve("pfmeter"), rc.data());
        Process sh = new ProcessBuilder("sh", "-n", script.toString()).redirectErrorStream(true).start();
        assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sh.exitValue()).as(new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(entries.get(base + "pfmeter.jar").data()))) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("org.pfmeter.exporter.cli.Main");
        }
        Path conf = Files.write(tmp.resolve("pfmeter.conf"), entries.get(base + "pfmeter.conf").data());
        assertThat(ConfigLoader.load(Optional.of(conf), Map.of(ConfigKey.PRIVILEGES_USER, "nobody",
                ConfigKey.PRIVILEGES_GROUP, "nogroup", ConfigKey.DATA_DIR, tmp.resolve("data").toString())).listen().port())
                .isEqualTo(10190);
        assertThat(new String(entries.get(base + "INSTALL").data(), StandardCharsets.UTF_8))
                .contains("useradd").contains("rcctl enable pfmeter").contains("/var/db/pfmeter");
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
