package org.pfmeter.accounting.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FileRewriteTest {

    private static final long MB = 1L << 20;

    @Test
    void theDaemonRewritesAFileAboveItsShareOfLiveDataWhenItIsLargeEnoughAndItsLiveDataSmallEnough() {
        FileRewrite daemon = FileRewrite.DAEMON;
        assertThat(daemon.due(100 * MB, 50 * MB)).isTrue();
        assertThat(daemon.due(100 * MB, 56 * MB)).isFalse(); // 1.79 times
        assertThat(daemon.due(90 * MB, 50 * MB)).isFalse(); // 1.8 times exactly
        assertThat(daemon.due(15 * MB, MB)).isFalse(); // too small to matter
        assertThat(daemon.due(16 * MB, MB)).isTrue();
        assertThat(daemon.due(2048 * MB, 513 * MB)).isFalse(); // the copy would take too long
        assertThat(daemon.due(2048 * MB, 512 * MB)).isTrue();
        assertThat(daemon.every()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aRatioOfOneOrLessWouldRewriteForEverAndIsRefused() {
        assertThatThrownBy(() -> new FileRewrite(1.0, Duration.ofDays(1), 0, Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fileToLive");
    }
}
