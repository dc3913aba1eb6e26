package org.pfmeter.exporter.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.config.ConfigKey;
import org.pfmeter.exporter.config.ConfigLoader;
import org.pfmeter.exporter.dist.OpenBsdTarballIT.Entry;

/** The FreeBSD tarball {@code mvn package} builds (src/assembly/freebsd.xml): what is in it, with which modes. */
class FreeBsdTarballIT {

    @TempDir
    Path tmp;

    @Test
    void holdsTheJarTheRcScriptTheSampleInstallGrafanaAndTheReadmeWithTheirModes() throws Exception {
        Path tarball = OpenBsdTarballIT.tarball("freebsd");
        String version = OpenBsdTarballIT.version(tarball, "freebsd");
        String base = "pfmeter-" + version + "/";
        Map<String, Entry> entries = OpenBsdTarballIT.read(tarball);

        Map<String, String> modes = new TreeMap<>(Map.of("pfmeter.jar", "444", "rc.d/pfmeter", "555", "pfmeter.conf", "644",
                "INSTALL", "644", "README.md", "644"));
        Map<String, Path> sources = new TreeMap<>(Map.of("rc.d/pfmeter", FreeBsdDistTest.RC,
                "pfmeter.conf", FreeBsdDistTest.DIST.resolve("pfmeter.conf"), "INSTALL", FreeBsdDistTest.DIST.resolve("INSTALL"),
                "README.md", Path.of("..", "README.md")));
        Path grafana = Path.of("..", "grafana");
        try (Stream<Path> s = Files.walk(grafana)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String name = "grafana/" + grafana.relativize(f).toString().replace('\\', '/');
                modes.put(name, "644");
                sources.put(name, f);
            }
        }
        assertThat(entries.keySet()).containsExactlyInAnyOrderElementsOf(modes.keySet().stream().map(n -> base + n).toList());
        modes.forEach((name, mode) -> assertThat(Integer.toOctalString(entries.get(base + name).mode())).as(name).isEqualTo(mode));
        for (Map.Entry<String, Path> e : sources.entrySet()) {
            assertThat(entries.get(base + e.getKey()).data()).as(e.getKey()).isEqualTo(bytes(e.getValue()));
        }

        Path rc = Files.write(tmp.resolve("rc.d-pfmeter"), entries.get(base + "rc.d/pfmeter").data());
        Process sh = new ProcessBuilder("sh", "-n", rc.toString()).redirectErrorStream(true).start();
        assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sh.exitValue()).as(new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

        Path conf = Files.write(tmp.resolve("pfmeter.conf"), entries.get(base + "pfmeter.conf").data());
        assertThat(ConfigLoader.load(Optional.of(conf), Map.of(ConfigKey.PRIVILEGES_USER, "nobody",
                ConfigKey.PRIVILEGES_GROUP, "nogroup", ConfigKey.DATA_DIR, tmp.resolve("data").toString())).listen().port())
                .isEqualTo(10190);
        String install = new String(entries.get(base + "INSTALL").data(), StandardCharsets.UTF_8);
        assertThat(OpenBsdDistTest.installedFiles(install).keySet()).isNotEmpty()
                .allSatisfy(f -> assertThat(entries).containsKey(base + f));
    }

    private static byte[] bytes(Path p) throws IOException {
        return Files.readAllBytes(p);
    }
}
