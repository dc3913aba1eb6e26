package org.pfmeter.exporter.nativelib;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The OpenBSD native library inside the shaded jar an operator installs (target/pfmeter.jar) can
 * load on OpenBSD 7.8+: decided from its ELF, so it holds on any build machine.
 */
class ShadedJarNativeLibraryIT {

    @Test
    void theShadedJarsOpenBsdLibraryLoadsOnOpenBsd78() throws Exception {
        Path jar = Path.of("target", "pfmeter.jar");
        Elf64 elf = new Elf64(OpenBsdLoadability.fromJar(jar));
        List<String> problems = OpenBsdLoadability.problems(elf);
        assertThat(problems).as(OpenBsdLoadability.verdict(jar + "'s " + OpenBsdLoadability.ENTRY, problems)).isEmpty();
        assertThat(elf.imports()).as("a library that imports nothing was not read").isNotEmpty();
    }
}
