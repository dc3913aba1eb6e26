package org.pfmeter.exporter.states;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pfmeter.exporter.TestDaemon;
import org.pfmeter.exporter.http.Credentials;
import org.pfmeter.exporter.jmx.StateTableBean;
import org.pfmeter.pf.sim.StatesGroundTruth;

/** The addresses of the breakdown: in the StateTable MXBean and behind /api/states' authentication, nowhere else. */
class StatesApiAndJmxTest {

    @TempDir
    Path dir;

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static String topSource(StatesGroundTruth t) {
        return t.sourceStates().entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .orElseThrow().getKey();
    }

    @Test
    void theTopListsAreInTheMxBeanAndBehindAuthenticationOverHttp() throws Exception {
        Path users = dir.resolve("billing.users");
        Files.writeString(users, Credentials.line("alice", "correct horse".toCharArray()) + "\n");
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(dir.resolve("data")),
                "http.billing-credentials = " + users + "\nstates.top = 3\n")) {
            HttpResponse<String> early = d.get("/api/states", "Authorization", basic("alice:correct horse"));
            assertThat(early.statusCode()).isEqualTo(503);
            d.clock.advance(Duration.ofHours(2));
            d.daemon.poller().pollOnce();
            StatesGroundTruth truth = d.pf.statesGroundTruth();

            HttpResponse<String> anonymous = d.get("/api/states");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).doesNotContain("198.18.");
            assertThat(d.get("/api/states", "Authorization", basic("alice:wrong")).statusCode()).isEqualTo(401);

            HttpResponse<String> ok = d.get("/api/states", "Authorization", basic("alice:correct horse"));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Cache-Control")).contains("no-store");
            JsonNode j = new ObjectMapper().readTree(ok.body());
            assertThat(j.get("states").asLong()).isEqualTo(truth.states());
            assertThat(j.at("/sources/by_states")).hasSize(3);
            String top = j.at("/sources/by_states/0/address").asText();
            assertThat(j.at("/sources/by_states/0/states").asLong()).isEqualTo(truth.sourceStates().get(top))
                    .isEqualTo(truth.sourceStates().get(topSource(truth)));
            assertThat(j.at("/by_tcp_state/ESTABLISHED:ESTABLISHED").asLong()).isEqualTo(truth.byTcpState().get("ESTABLISHED:ESTABLISHED"));

            assertThat(d.mbeans.getAttribute(StateTableBean.objectName(), "States")).isEqualTo(truth.states());
            CompositeData[] sources = (CompositeData[]) d.mbeans.getAttribute(StateTableBean.objectName(), "TopSourcesByStates");
            assertThat(sources).hasSize(3);
            assertThat(sources[0].get("address")).isEqualTo(top);
            assertThat(sources[0].get("states")).isEqualTo(truth.sourceStates().get(top));
            TabularData byTcp = (TabularData) d.mbeans.getAttribute(StateTableBean.objectName(), "ByTcpState");
            assertThat(byTcp.get(new Object[] {"ESTABLISHED:ESTABLISHED"}).get("value")).isEqualTo(truth.byTcpState().get("ESTABLISHED:ESTABLISHED"));
            assertThat(d.mbeans.getAttribute(StateTableBean.objectName(), "LastProblem")).isEqualTo("");
        }
    }

    @Test
    void withoutBillingCredentialsThereIsNoStatesEndpoint() throws Exception {
        try (TestDaemon d = TestDaemon.start(Files.createDirectories(dir.resolve("data")), "")) {
            d.clock.advance(Duration.ofHours(1));
            d.daemon.poller().pollOnce();
            assertThat(d.get("/api/states").statusCode()).isEqualTo(404);
        }
    }
}
