package org.pfmeter.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The progress line of simulate and record: drawn for a terminal only, overwritten in place, erased at the end. */
class ProgressTest {

    private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");

    @Test
    void theOptionDecidesAndWithoutItOnlyATerminalGetsProgress() {
        assertThat(Progress.enabled(null, true)).isTrue();
        assertThat(Progress.enabled(null, false)).isFalse();
        assertThat(Progress.enabled(true, false)).isTrue();
        assertThat(Progress.enabled(false, true)).isFalse();
    }

    @Test
    void offWritesNothingAtAll() {
        StringWriter text = new StringWriter();
        Progress p = Progress.to(new PrintWriter(text), null, false);
        p.status("simulate: day 1 of 2 (0%), 2026-10-01");
        p.event("simulate: 2026-10-01T06:00:00Z crash");
        p.clear();
        assertThat(text.toString()).isEmpty();
    }

    @Test
    void aLineOverwritesTheLongerOneBeforeItAndClearLeavesAnEmptyLine() {
        StringWriter text = new StringWriter();
        Progress p = Progress.to(new PrintWriter(text), null, true);
        p.status("record: poll 1 of 3");
        p.status("record: poll 1 of 3");
        p.status("record: poll 1 of 3 done, next in 10s");
        p.status("record: poll 2 of 3");
        p.clear();
        String ten = " ".repeat("record: poll 1 of 3 done, next in 10s".length() - "record: poll 2 of 3".length());
        assertThat(text.toString()).isEqualTo("\rrecord: poll 1 of 3"
                + "\rrecord: poll 1 of 3 done, next in 10s"
                + "\rrecord: poll 2 of 3" + ten
                + "\r" + " ".repeat("record: poll 2 of 3".length()) + "\r");
    }

    @Test
    void anEventStaysAboveTheStatusLine() {
        StringWriter text = new StringWriter();
        Progress p = Progress.to(new PrintWriter(text), null, true);
        p.status("simulate: day 1 of 2 (10%), 2026-10-01");
        p.event("simulate: 2026-10-01T05:00:00Z crash");
        String line = "simulate: day 1 of 2 (10%), 2026-10-01";
        assertThat(text.toString()).isEqualTo("\r" + line + "\r" + " ".repeat(line.length()) + "\r"
                + "simulate: 2026-10-01T05:00:00Z crash" + System.lineSeparator() + "\r" + line);
    }

    @Test
    void simulatesLineCountsDaysAndPercentAndChangesOnlyWithThem() {
        assertThat(Progress.simulateLine(START, 30, START)).isEqualTo("simulate: day 1 of 30 (0%), 2026-10-01");
        assertThat(Progress.simulateLine(START, 30, Instant.parse("2026-10-03T05:00:00Z")))
                .isEqualTo("simulate: day 3 of 30 (7%), 2026-10-03");
        assertThat(Progress.simulateLine(START, 2, Instant.parse("2026-10-03T00:00:00Z")))
                .isEqualTo("simulate: day 2 of 2 (100%), 2026-10-03");
        assertThat(Progress.simulateLine(START, 30, Instant.parse("2026-10-03T05:01:00Z")))
                .isEqualTo(Progress.simulateLine(START, 30, Instant.parse("2026-10-03T05:00:00Z")));
    }

    @Test
    void recordsLineSaysWhichPollAndTheWaitForTheNext() {
        assertThat(Progress.recordLine(2, 5, null)).isEqualTo("record: poll 2 of 5");
        assertThat(Progress.recordLine(2, 5, "10s")).isEqualTo("record: poll 2 of 5 done, next in 10s");
    }
}
