package org.pfmeter.exporter.grafana;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The parts of Prometheus' HTTP API (v1) the tests use. */
final class PrometheusApi {

    private final String base;

    PrometheusApi(String base) {
        this.base = base;
    }

    /** {@code data} of a successful answer; an error answer (bad query, …) throws with Prometheus' message. */
    JsonNode get(String path, String... params) throws IOException, InterruptedException {
        StringBuilder url = new StringBuilder(base).append(path);
        for (int i = 0; i < params.length; i += 2) {
            url.append(i == 0 ? '?' : '&').append(params[i]).append('=')
                    .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> resp = LocalProcess.HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        JsonNode body = GrafanaFiles.JSON.readTree(resp.body());
        if (resp.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IOException(path + " " + String.join(" ", params) + " → HTTP " + resp.statusCode() + ": "
                    + body.path("errorType").asText() + ": " + body.path("error").asText());
        }
        return body.path("data");
    }

    /** The result of an instant query at the current time. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        return get("/api/v1/query", "query", promql).path("result");
    }

    /** What Grafana's {@code label_values(selector, label)} lists. */
    List<String> labelValues(String label, String selector) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        get("/api/v1/label/" + label + "/values", "match[]", selector).forEach(v -> out.add(v.asText()));
        return out;
    }

    /** The active alerts: each with labels, annotations and state (pending or firing). */
    JsonNode alerts() throws IOException, InterruptedException {
        return get("/api/v1/alerts").path("alerts");
    }

    /** The loaded rule groups with each rule's health and last error. */
    JsonNode ruleGroups() throws IOException, InterruptedException {
        return get("/api/v1/rules").path("groups");
    }
}
