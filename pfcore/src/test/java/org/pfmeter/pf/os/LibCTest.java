package org.pfmeter.pf.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one libc binding: loaded once, shared by every task wrapper, and the only door to native code. */
class LibCTest {

    @TempDir
    Path dir;

    @Test
    void loadedOnceAndShared() {
        assertThat(LibC.instance()).isSameAs(LibC.instance()).isSameAs(LibCInstance.INSTANCE);
    }

    @Test
    void openPreadAndCloseGoThroughIt() throws Exception {
        Path f = Files.writeString(dir.resolve("counters"), "pf counters\n");
        int fd = FileDescriptors.openReadOnly(f.toString());
        try {
            assertThat(new String(FileDescriptors.readFromStart(fd, 64), StandardCharsets.UTF_8)).isEqualTo("pf counters\n");
            assertThat(new String(FileDescriptors.readFromStart(fd, 2), StandardCharsets.UTF_8)).isEqualTo("pf");
        } finally {
            assertThat(FileDescriptors.isTerminal(fd)).as("a regular file is no terminal").isFalse();
            FileDescriptors.close(fd);
        }
        assertThat(new PrivilegeDrop().current().uid()).isEqualTo(LibC.instance().getuid());
    }

    @Test
    void onlyLibCInstanceLoadsNativeCodeAndOnlyAbiCallsIoctl() throws IOException {
        Map<String, String> main = sources(Path.of("src", "main", "java"));
        assertThat(main).isNotEmpty();
        assertThat(filesContaining(main, "Native.load(")).containsExactly("org/pfmeter/pf/os/LibCInstance.java");
        assertThat(filesContaining(main, "extends Library")).containsExactly("org/pfmeter/pf/os/LibC.java");
        assertThat(filesContaining(main, ".ioctl(fd")).containsExactly("org/pfmeter/pf/abi/JnaPfDevice.java");
        for (String module : List.of("accounting", "exporter")) {
            Path src = Path.of("..", module, "src", "main", "java");
            assertThat(src).isDirectory();
            assertThat(filesContaining(sources(src), "com.sun.jna")).as("%s imports no JNA type", module).isEmpty();
        }
    }

    @Test
    void aFailureToLoadIsOneLineWithTheCauseAndTheFixes() {
        UnsatisfiedLinkError why = new UnsatisfiedLinkError("/tmp/jna-0/jna1.tmp: Cannot load specified object\n  libffi.so.2.4");
        NoClassDefFoundError later = new NoClassDefFoundError("Could not initialize class com.sun.jna.Native");
        later.initCause(new ExceptionInInitializerError(why.getMessage()));
        String m = NativeLayerException.message(later, "OpenBSD 7.8 ");
        assertThat(m).doesNotContain("\n")
                .startsWith("pfmeter's native layer (JNA) cannot load on this host (OpenBSD 7.8): Could not initialize class "
                        + "com.sun.jna.Native; /tmp/jna-0/jna1.tmp: Cannot load specified object libffi.so.2.4. ")
                .contains("pkg_add libffi").contains("-Djna.boot.library.path=DIR").contains("OpenBSD 7.8 or later");
        assertThat(new NativeLayerException(why).getMessage()).contains("Cannot load specified object libffi.so.2.4")
                .contains(System.getProperty("os.name"));
    }

    private static Map<String, String> sources(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                m.put(root.relativize(p).toString().replace('\\', '/'), Files.readString(p));
            }
        }
        return m;
    }

    private static List<String> filesContaining(Map<String, String> sources, String text) {
        return sources.entrySet().stream().filter(e -> e.getValue().contains(text)).map(Map.Entry::getKey).toList();
    }
}
