package org.pfmeter.pf.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnveilTest {

    @TempDir
    Path dir;

    @Test
    void onlyUnveilPermissionLettersAreAccepted() {
        assertThat(new Unveil.Rule(Path.of("/tmp"), "rwc").permissions()).isEqualTo("rwc");
        assertThat(new Unveil.Rule(Path.of("/usr/local/jdk-17"), "rx").toString()).isEqualTo("/usr/local/jdk-17 (rx)");
        assertThatThrownBy(() -> new Unveil.Rule(Path.of("/tmp"), "")).hasMessageContaining("some of r, w, x, c");
        assertThatThrownBy(() -> new Unveil.Rule(Path.of("/tmp"), "rwz")).hasMessageContaining("'rwz'");
        assertThatThrownBy(() -> new Unveil.Rule(Path.of("/tmp"), "rr")).hasMessageContaining("each once");
    }

    @Test
    void offOpenBsdItSaysSoAndRestrictsNothing() throws Exception {
        assertThat(Platform.isOpenBSD()).as("this test describes the other platforms").isFalse();
        Path outside = Files.writeString(dir.resolve("outside"), "still visible");
        Unveil.Result r = Unveil.restrict(List.of(new Unveil.Rule(dir.resolve("nothing-here"), "r")));
        assertThat(Unveil.available()).isFalse();
        assertThat(r.applied()).isFalse();
        assertThat(r.detail()).contains("unveil(2) is not available on " + System.getProperty("os.name"))
                .contains("not restricted");
        assertThat(Files.readString(outside)).isEqualTo("still visible");
    }
}
