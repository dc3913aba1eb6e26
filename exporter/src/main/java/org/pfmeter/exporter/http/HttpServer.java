package org.pfmeter.exporter.http;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.pfmeter.exporter.config.HostPort;

/**
 * The read-only HTTP side on Jetty: {@code GET /metrics} (Prometheus text format 0.0.4, or
 * OpenMetrics when the Accept header asks for it; {@code name[]=} selects families; gzip when
 * accepted), {@code /-/healthy}, {@code /-/ready} (503 until a first poll succeeded) and a landing
 * page at {@code /}. Only GET and HEAD are served: nothing here changes state.
 */
public final class HttpServer {

    public static final String METRICS = "/metrics";
    public static final String HEALTHY = "/-/healthy";
    public static final String READY = "/-/ready";

    private final Server server;
    private final ServerConnector connector;

    /**
     * @param ready   true once the first poll succeeded
     * @param about   one line for the landing page, e.g. the device and the ABI release
     */
    public HttpServer(HostPort listen, CollectorRegistry registry, BooleanSupplier ready, String version, String about) {
        this(listen, registry, ready, version, about, java.util.Optional.empty());
    }

    /** @param billing the authenticated billing endpoints, when configured */
    public HttpServer(HostPort listen, CollectorRegistry registry, BooleanSupplier ready, String version, String about,
            java.util.Optional<BillingEndpoint> billing) {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("http");
        threads.setDaemon(true);
        this.server = new Server(threads);
        this.connector = new ServerConnector(server, 1, 1);
        connector.setHost(listen.anyAddress() ? null : listen.host());
        connector.setPort(listen.port());
        server.addConnector(connector);
        server.setHandler(new Routes(registry, ready, version, about, billing));
        server.setStopTimeout(5_000);
    }

    public void start() throws Exception {
        server.start();
    }

    /** The port actually bound (the configured one, or the ephemeral one for port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public void stop() throws Exception {
        server.stop();
    }

    private static final class Routes extends Handler.Abstract.NonBlocking {
        private final CollectorRegistry registry;
        private final BooleanSupplier ready;
        private final String version;
        private final String about;
        private final java.util.Optional<BillingEndpoint> billing;

        Routes(CollectorRegistry registry, BooleanSupplier ready, String version, String about,
                java.util.Optional<BillingEndpoint> billing) {
            this.billing = billing;
            this.registry = registry;
            this.ready = ready;
            this.version = version;
            this.about = about;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws IOException {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            boolean head = HttpMethod.HEAD.is(method);
            if (!head && !HttpMethod.GET.is(method)) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                send(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "text/plain; charset=utf-8",
                        "only GET and HEAD are served\n", false);
                return true;
            }
            if (billing.isPresent() && billing.get().handle(path, request, response, callback, head)) {
                return true;
            }
            switch (path) {
                case METRICS -> metrics(request, response, callback, head);
                case HEALTHY -> send(response, callback, 200, "text/plain; charset=utf-8", "OK\n", head);
                case READY -> {
                    if (ready.getAsBoolean()) {
                        send(response, callback, 200, "text/plain; charset=utf-8", "Ready\n", head);
                    } else {
                        send(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "text/plain; charset=utf-8",
                                "Not ready: no poll has succeeded yet\n", head);
                    }
                }
                case "/" -> send(response, callback, 200, "text/html; charset=utf-8", landing(), head);
                default -> send(response, callback, HttpStatus.NOT_FOUND_404, "text/plain; charset=utf-8",
                        "not found; see / for what is served\n", head);
            }
            return true;
        }

        private void metrics(Request request, Response response, Callback callback, boolean head) throws IOException {
            String contentType = TextFormat.chooseContentType(request.getHeaders().get(HttpHeader.ACCEPT));
            Set<String> names = new HashSet<>();
            Fields params = Request.extractQueryParameters(request);
            List<String> selected = params.getValues("name[]");
            if (selected != null) {
                names.addAll(selected);
            }
            String acceptEncoding = request.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
            boolean gzip = acceptEncoding != null && acceptEncoding.contains("gzip");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
            try (Writer w = new OutputStreamWriter(gzip ? new GZIPOutputStream(bytes) : bytes, StandardCharsets.UTF_8)) {
                TextFormat.writeFormat(contentType, w, names.isEmpty()
                        ? registry.metricFamilySamples()
                        : registry.filteredMetricFamilySamples(names));
            }
            if (gzip) {
                response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
            }
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.size());
            response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(bytes.toByteArray()), callback);
        }

        private String landing() {
            return """
                    <!DOCTYPE html>
                    <html lang="en">
                    <head><meta charset="utf-8"><title>pfmeter</title></head>
                    <body>
                    <h1>pfmeter %s</h1>
                    <p>%s</p>
                    <ul>
                    <li><a href="%s">%s</a>: Prometheus metrics</li>
                    <li><a href="%s">%s</a>: health</li>
                    <li><a href="%s">%s</a>: readiness (a first poll succeeded)</li>
                    </ul>
                    </body>
                    </html>
                    """.formatted(html(version), html(about), METRICS, METRICS, HEALTHY, HEALTHY, READY, READY);
        }

        private static String html(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }

    }

    /** Answers with a whole text body (none for HEAD). */
    static void send(Response response, Callback callback, int status, String type, String body, boolean head) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(b), callback);
    }
}
