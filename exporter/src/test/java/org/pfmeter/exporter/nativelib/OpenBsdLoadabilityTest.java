package org.pfmeter.exporter.nativelib;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The OpenBSD symbol check on known libraries: JNA 5.17.0's (built May 2024, imports {@code __sF},
 * which 7.8 removed: JNA issue 1709) fails it; the JNA pfmeter builds with passes it; a library
 * altered to need another library or import an unknown symbol fails it. JNA 5.17.0's jar is copied to
 * target/jna-5.17.0 by maven-dependency-plugin (exporter/pom.xml), so a clean build fetches it.
 */
class OpenBsdLoadabilityTest {

    static final Path JNA_5_17_0 = Path.of("target", "jna-5.17.0", "jna-5.17.0.jar");

    @Test
    void jna5170ImportsSfAndFailsWithWhatToDo() throws IOException {
        Elf64 elf = new Elf64(OpenBsdLoadability.fromJar(JNA_5_17_0));
        List<String> problems = OpenBsdLoadability.problems(elf);
        assertThat(problems).containsExactly("imports __sF, which OpenBSD 7.8's libc does not export");
        assertThat(elf.needed()).isEmpty();
        assertThat(elf.x86Features() & Elf64.GNU_PROPERTY_X86_FEATURE_1_IBT).as("IBT-marked").isZero();
        assertThat(OpenBsdLoadability.verdict("JNA 5.17.0's libjnidispatch.so", problems))
                .startsWith("JNA 5.17.0's libjnidispatch.so cannot load on OpenBSD 7.8+: it imports __sF, which OpenBSD 7.8's libc does not export. ")
                .contains("upgrade JNA").contains("built on OpenBSD 7.8 or later").contains("-Djna.boot.library.path=");
    }

    @Test
    void theJnaPfmeterBuildsWithPassesAndNeedsLibffi() throws IOException {
        Elf64 elf = new Elf64(current());
        assertThat(OpenBsdLoadability.problems(elf)).isEmpty();
        assertThat(elf.needed()).as("the OpenBSD package libffi (pkg_add libffi)").singleElement().asString().startsWith("libffi.so.");
        assertThat(elf.imports()).extracting(Elf64.Import::name).contains("__stderr", "ffi_call").doesNotContain("__sF");
        assertThat(elf.osAbi()).as("EI_OSABI: OpenBSD").isEqualTo(12);
        assertThat(elf.x86Features() & Elf64.GNU_PROPERTY_X86_FEATURE_1_IBT).as("IBT-marked").isNotZero();
    }

    @Test
    void anotherNeededLibraryOrAnUnknownSymbolFails() throws IOException {
        byte[] lib = current();
        // same length, so every offset still holds: DT_NEEDED libffi -> libfoo, strdup -> strdUp
        replace(lib, "libffi.so", "libfoo.so");
        replace(lib, "\0strdup\0", "\0strdUp\0");
        List<String> problems = OpenBsdLoadability.problems(new Elf64(lib));
        assertThat(problems).contains("needs libfoo.so.2.4, which is neither libc, libpthread nor libffi",
                "imports strdUp, which OpenBSD 7.8's libc does not export",
                "imports ffi_call from libffi but does not need libffi");
    }

    @Test
    void whatIsNotElfIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Elf64("not a library".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("not an ELF file");
    }

    /** The OpenBSD library of the JNA on the test class path (the one the shaded jar packs). */
    static byte[] current() throws IOException {
        try (InputStream in = OpenBsdLoadabilityTest.class.getClassLoader().getResourceAsStream(OpenBsdLoadability.ENTRY)) {
            assertThat(in).as(OpenBsdLoadability.ENTRY + " in JNA's jar").isNotNull();
            return in.readAllBytes();
        }
    }

    private static void replace(byte[] in, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.US_ASCII);
        byte[] t = to.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + f.length <= in.length; i++) {
            for (int j = 0; j < f.length; j++) {
                if (in[i + j] != f[j]) {
                    continue outer;
                }
            }
            System.arraycopy(t, 0, in, i, t.length);
            return;
        }
        throw new AssertionError(from + " not found");
    }
}
