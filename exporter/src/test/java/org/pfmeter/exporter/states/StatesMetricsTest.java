package org.pfmeter.exporter.states;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.Exposition;
import org.pfmeter.exporter.TestDaemon;
import org.pfmeter.pf.model.LabelKey;
import org.pfmeter.pf.sim.StatesGroundTruth;

/** The state-table breakdown in the real daemon: its own cadence, its families, the skip above the bound. */
class StatesMetricsTest {

    @TempDir
    Path tmp;

    @Test
    void theBreakdownIsServedOnItsOwnCadenceAndEqualsTheSimulatorsTruth() throws Exception {
        try (TestDaemon t = TestDaemon.start(tmp.resolve("data"), "states.interval = 60s\naccounting.enabled = false\n")) {
            t.clock.advance(Duration.ofHours(2));
            t.daemon.poller().pollOnce();
            StatesGroundTruth truth = t.pf.statesGroundTruth();
            Exposition m = t.scrape();
            assertThat(m.value("pfmeter_states_breakdown_reads_total")).contains(1.0);
            for (Map.Entry<LabelKey, Long> e : truth.byLabel().entrySet()) {
                assertThat(m.value("pf_states_by_label", "anchor", e.getKey().anchor(), "label", e.getKey().label()))
                        .as("%s", e.getKey()).contains((double) e.getValue());
            }
            assertThat(m.value("pf_states_unattributed")).contains(0.0);
            assertThat(m.value("pf_states_by_interface", "interface", "all")).contains((double) truth.states());
            assertThat(m.value("pf_states_age_seconds_count")).contains((double) truth.states());
            assertThat(m.value("pf_states_age_seconds_bucket", "le", "+Inf")).contains((double) truth.states());
            truth.byTcpState().forEach((k, v) -> assertThat(m.value("pf_states_by_tcp_state", "state", k)).contains((double) v));
            assertThat(m.value("pfmeter_states_breakdown_buffer_bytes")).contains(2.0 * 264 * truth.states());
            assertThat(m.value("pfmeter_states_label_share_alert_ratio")).as("states.label-share-alert's default").contains(0.5);
            // no address ever reaches a label
            assertThat(m.samples.stream().flatMap(s -> s.labels().values().stream())).noneMatch(v -> v.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"));

            // 30 s later the next poll does not read the table again; 60 s after the first it does
            t.clock.advance(Duration.ofSeconds(30));
            t.daemon.poller().pollOnce();
            assertThat(t.scrape().value("pfmeter_states_breakdown_reads_total")).contains(1.0);
            t.clock.advance(Duration.ofSeconds(30));
            t.daemon.poller().pollOnce();
            assertThat(t.scrape().value("pfmeter_states_breakdown_reads_total")).contains(2.0);
        }
    }

    @Test
    void aTableAboveTheBoundIsSkippedAndCounted() throws Exception {
        try (TestDaemon t = TestDaemon.start(tmp.resolve("data"), "states.max-states = 10\naccounting.enabled = false\n")) {
            t.clock.advance(Duration.ofHours(2));
            t.daemon.poller().pollOnce();
            Exposition m = t.scrape();
            assertThat(m.value("pfmeter_states_breakdown_skipped_total")).contains(1.0);
            assertThat(m.value("pfmeter_states_breakdown_reads_total")).contains(0.0);
            assertThat(m.samples("pf_states_by_label")).isEmpty();
            assertThat(m.value("pfmeter_states_breakdown_buffer_bytes")).contains(0.0);
        }
    }

    /** The alert rule compares against each firewall's own setting, served before the first read and after a skip. */
    @Test
    void theLabelShareAlertThresholdIsServedAsConfigured() throws Exception {
        try (TestDaemon t = TestDaemon.start(tmp.resolve("data"),
                "states.label-share-alert = 0.35\nstates.max-states = 10\naccounting.enabled = false\n")) {
            assertThat(t.scrape().value("pfmeter_states_label_share_alert_ratio")).contains(0.35);
            t.clock.advance(Duration.ofHours(2));
            t.daemon.poller().pollOnce();
            Exposition m = t.scrape();
            assertThat(m.value("pfmeter_states_breakdown_skipped_total")).contains(1.0);
            assertThat(m.value("pfmeter_states_label_share_alert_ratio")).contains(0.35);
        }
    }

    @Test
    void switchedOffThereIsNoBreakdown() throws Exception {
        try (TestDaemon t = TestDaemon.start(tmp.resolve("data"), "states.enabled = false\naccounting.enabled = false\n")) {
            t.daemon.poller().pollOnce();
            assertThat(t.daemon.states()).isEmpty();
            assertThat(t.scrape().samples("pfmeter_states_breakdown_reads_total")).isEmpty();
        }
    }
}
