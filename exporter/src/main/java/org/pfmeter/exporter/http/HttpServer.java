package org.pfmeter.exporter.http;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.InputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.pfmeter.exporter.config.HostPort;
import org.pfmeter.exporter.config.HttpConfig;
import org.pfmeter.exporter.config.PasswordFile;

/**
 * The read-only HTTP side on Jetty: {@code GET /metrics} (Prometheus text format 0.0.4, or
 * OpenMetrics when the Accept header asks for it; {@code name[]=} selects families; gzip when
 * accepted), {@code /-/healthy}, {@code /-/ready} (503 until a first poll succeeded) and a landing
 * page at {@code /}. Only GET and HEAD are served: nothing here changes state. Hardened for a
 * firewall: bounded headers, URIs, connections and threads, no request bodies, slow requests cut off
 * ({@link HttpLimits}), security headers on every answer, errors as bare status lines (no Jetty
 * version, no stack traces), and optionally HTTPS only.
 */
public final class HttpServer {

    public static final String METRICS = "/metrics";
    public static final String HEALTHY = "/-/healthy";
    public static final String READY = "/-/ready";

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final Server server;
    private final ServerConnector connector;
    private final HostPort listen;
    private final HttpLimits limits;
    private final boolean tls;

    /**
     * @param ready   true once the first poll succeeded
     * @param about   one line for the landing page, e.g. the device and the ABI release
     */
    public HttpServer(HostPort listen, CollectorRegistry registry, BooleanSupplier ready, String version, String about) {
        this(listen, registry, ready, version, about, Optional.empty());
    }

    /** @param billing the authenticated billing endpoints, when configured */
    public HttpServer(HostPort listen, CollectorRegistry registry, BooleanSupplier ready, String version, String about,
            Optional<BillingEndpoint> billing) {
        this(listen, registry, ready, version, about, billing, Optional.empty(), HttpLimits.DEFAULTS);
    }

    /**
     * @param tls    when present the listener speaks only HTTPS (TLS 1.2 and 1.3) with this key store
     * @param limits sizes, timeouts and bounds on what a client may cost
     * @throws IllegalArgumentException when the key store cannot be opened (the message names it)
     */
    public HttpServer(HostPort listen, CollectorRegistry registry, BooleanSupplier ready, String version, String about,
            Optional<BillingEndpoint> billing, Optional<HttpConfig.Tls> tls, HttpLimits limits) {
        this(listen, registry, ready, version, about, billing.map(BillingState::serving).orElse(BillingState.off()), tls, limits);
    }

    private HttpServer(HostPort listen, CollectorRegistry registry, BooleanSupplier ready, String version, String about,
            BillingState billing, Optional<HttpConfig.Tls> tls, HttpLimits limits) {
        this(listen, registry, ready, version, about, () -> billing, tls, limits);
    }

    /**
     * @param billing what the billing paths can do, asked on every request: the daemon listens before
     *                its database is open, and a database server that cannot be reached at start keeps
     *                billing {@link BillingState.Pending} (a 503 saying why) until it answers
     */
    public HttpServer(HostPort listen, CollectorRegistry registry, BooleanSupplier ready, String version, String about,
            Supplier<BillingState> billing, Optional<HttpConfig.Tls> tls, HttpLimits limits) {
        QueuedThreadPool threads = new QueuedThreadPool(limits.maxThreads(), 2);
        threads.setName("http");
        threads.setDaemon(true);
        this.server = new Server(threads);
        this.listen = listen;
        this.tls = tls.isPresent();
        this.limits = limits;
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        http.setIdleTimeout(limits.idleTimeout().toMillis());
        if (tls.isPresent()) {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Clients reach a firewall by address as often as by name; checking the SNI name
            // against the certificate is the client's job.
            secure.setSniHostCheck(false);
            secure.setStsMaxAge(365, TimeUnit.DAYS);
            http.addCustomizer(secure);
            this.connector = new ServerConnector(server, 1, 1,
                    new SslConnectionFactory(sslContextFactory(tls.get()), HttpVersion.HTTP_1_1.asString()),
                    new HttpConnectionFactory(http));
        } else {
            this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        }
        connector.setHost(listen.anyAddress() ? null : listen.host());
        connector.setPort(listen.port());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptQueueSize(limits.maxConnections());
        server.addConnector(connector);
        // Jetty 12.1's replacement for ConnectionLimit: counts the sockets it accepts
        NetworkConnectionLimit connections = new NetworkConnectionLimit(limits.maxConnections(), connector);
        // when full, idle keep-alive connections make room sooner
        connections.setEndPointIdleTimeout(Math.min(5_000, limits.idleTimeout().toMillis()));
        server.addBean(connections);
        // also told of TLS handshakes (a handshake listener bean of the connector)
        connector.addBean(new SlowRequestGuard(limits.requestTimeout(), connector.getScheduler(), System::nanoTime));
        connector.addBean(new ClientConnectionCap(limits.maxConnectionsPerClient(), java.time.Clock.systemUTC()));
        server.setErrorHandler(new PlainErrors());
        server.setHandler(new Routes(registry, snapshotFamilies, ready, version, about, billing, limits, endpoints,
                new RateLimitedLog(java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(1), LOG::warn),
                new RateLimitedLog(java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(1), LOG::error)));
        server.setStopTimeout(5_000);
    }

    private static SslContextFactory.Server sslContextFactory(HttpConfig.Tls tls) {
        char[] password;
        KeyStore ks;
        try {
            password = PasswordFile.readChars(tls.keyStorePasswordFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read http.tls.keystore-password-file " + tls.keyStorePasswordFile()
                    + ": " + e.getMessage(), e);
        }
        try (InputStream in = Files.newInputStream(tls.keyStore())) {
            ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot open http.tls.keystore " + tls.keyStore() + " as PKCS12 with the password in "
                    + tls.keyStorePasswordFile() + ": " + e.getMessage(), e);
        }
        SslContextFactory.Server f = new SslContextFactory.Server();
        f.setKeyStore(ks);
        f.setKeyStorePassword(new String(password));
        f.setKeyManagerPassword(new String(password));
        f.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        f.setRenegotiationAllowed(false);
        return f;
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

    /**
     * Where /metrics is served, as the start-up line says it: {@code http://127.0.0.1:10190/metrics},
     * and for a listen address on every interface ({@code :PORT}, {@code 0.0.0.0}, {@code [::]})
     * that it is so, since that also serves the metrics on every outside interface.
     */
    public String describe() {
        String origin = (tls ? "https" : "http") + "://";
        if (listen.anyAddress()) {
            return origin + "0.0.0.0:" + port() + "/metrics on every interface and address, IPv4 and IPv6 (listen = "
                    + listen + "; give one address to serve only there)";
        }
        return origin + (listen.host().contains(":") ? "[" + listen.host() + "]" : listen.host()) + ":" + port() + "/metrics";
    }

    /** True when the listener speaks HTTPS. */
    public boolean tls() {
        return tls;
    }

    public HttpLimits limits() {
        return limits;
    }

    /**
     * Headers every answer carries, errors included: nothing here is meant to be framed, sniffed
     * into another type, run as script or leak the address it was fetched from. The landing page
     * has no style or script, so {@code default-src 'none'} holds for it too.
     */
    static void securityHeaders(Response response) {
        HttpFields.Mutable h = response.getHeaders();
        h.put("X-Content-Type-Options", "nosniff");
        h.put("X-Frame-Options", "DENY");
        h.put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        h.put("Referrer-Policy", "no-referrer");
    }

    /**
     * Jetty's own error pages name its version and, for exceptions, may show messages and stack
     * traces; here every error (a handler's exception, a URI Jetty cannot decode, a header too large)
     * is its status line as plain text.
     */
    private static final class PlainErrors extends ErrorHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus() >= 400 ? response.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR_500;
            securityHeaders(response);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            send(response, callback, status, "text/plain; charset=utf-8", text(status),
                    HttpMethod.HEAD.is(request.getMethod()));
            return true;
        }

        private static String text(int status) {
            return status + " " + HttpStatus.getMessage(status) + "\n";
        }
    }

    /**
     * Blocking on purpose: a billing answer checks a PBKDF2 hash and queries the database, and
     * /metrics serialises every family; none of that may run on Jetty's selector thread.
     */
    private final List<PathEndpoint> endpoints = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final java.util.concurrent.atomic.AtomicReference<SnapshotFamilies> snapshotFamilies =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * Families of the registry that /metrics renders once per poll rather than on every scrape
     * (they must be registered in the registry too: a {@code name[]} selection reads them there).
     */
    public void renderOncePerPoll(SnapshotFamilies families) {
        snapshotFamilies.set(families);
    }

    /** Serves one more GET path (asked after the billing paths, before the fixed ones). */
    public void addEndpoint(PathEndpoint e) {
        endpoints.add(e);
    }

    private static final class Routes extends Handler.Abstract {
        private final List<PathEndpoint> endpoints;
        private final CollectorRegistry registry;
        private final BooleanSupplier ready;
        private final String version;
        private final String about;
        private final Supplier<BillingState> billing;
        private final HttpLimits limits;
        private final RateLimitedLog badRequests;
        private final RateLimitedLog failures;
        /** Concurrent scrapes of the same kind share one render (see {@link SharedRenders}). */
        private final SharedRenders<RenderKey> renders = new SharedRenders<>();
        /** The poll's families of /metrics, rendered once per poll (see {@link SnapshotRenders}). */
        private final SnapshotRenders<RenderKey, byte[]> pollRenders = new SnapshotRenders<>();
        private final SnapshotRenders<String, GzipParts.Head> pollGzips = new SnapshotRenders<>();
        /** The per-scrape part, shared by concurrent scrapes of one poll (a gzip tail depends on the poll's head). */
        private final SharedRenders<LiveKey> liveRenders = new SharedRenders<>();
        private final java.util.concurrent.atomic.AtomicReference<SnapshotFamilies> snapshotFamilies;
        /** The sample names of the poll's families, which the per-scrape part leaves out. */
        private volatile Set<String> pollSampleNames;

        Routes(CollectorRegistry registry, java.util.concurrent.atomic.AtomicReference<SnapshotFamilies> snapshotFamilies,
                BooleanSupplier ready, String version, String about,
                Supplier<BillingState> billing, HttpLimits limits, List<PathEndpoint> endpoints,
                RateLimitedLog badRequests, RateLimitedLog failures) {
            this.badRequests = badRequests;
            this.failures = failures;
            this.endpoints = endpoints;
            this.billing = billing;
            this.limits = limits;
            this.registry = registry;
            this.snapshotFamilies = snapshotFamilies;
            this.ready = ready;
            this.version = version;
            this.about = about;
        }

        /**
         * Anything a client can make fail is answered here with at most one log line a minute
         * (see {@link RateLimitedLog}): Jetty would log a stack trace for every such request.
         */
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws IOException {
            try {
                return route(request, response, callback);
            } catch (RuntimeException e) {
                if (response.isCommitted()) {
                    throw e;
                }
                // not the path: a client chooses it, control characters included
                failures.log("HTTP: 500 for a " + request.getMethod() + " request: " + e, e);
                response.reset();
                securityHeaders(response);
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                send(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "text/plain; charset=utf-8",
                        PlainErrors.text(HttpStatus.INTERNAL_SERVER_ERROR_500), HttpMethod.HEAD.is(request.getMethod()));
                return true;
            }
        }

        private boolean route(Request request, Response response, Callback callback) throws IOException {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            boolean head = HttpMethod.HEAD.is(method);
            securityHeaders(response);
            if (!head && !HttpMethod.GET.is(method)) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                send(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "text/plain; charset=utf-8",
                        "only GET and HEAD are served\n", false);
                return true;
            }
            if (request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
                // nothing here reads a body; close rather than read and discard one
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                send(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, "text/plain; charset=utf-8",
                        "request bodies are not accepted\n", head);
                return true;
            }
            String pathQuery = request.getHttpURI().getPathQuery();
            if (pathQuery != null && pathQuery.length() > limits.maxUriChars()) {
                send(response, callback, HttpStatus.URI_TOO_LONG_414, "text/plain; charset=utf-8",
                        "the URI is longer than " + limits.maxUriChars() + " characters\n", head);
                return true;
            }
            if (request.getHttpURI().getQuery() != null) {
                try {
                    // parsed here once so that no endpoint meets a query it cannot decode
                    Request.extractQueryParameters(request);
                } catch (RuntimeException e) {
                    badRequests.log("HTTP: 400 for a query that is not percent-encoded UTF-8, from "
                            + ClientKey.of(request.getConnectionMetaData().getRemoteSocketAddress()));
                    send(response, callback, HttpStatus.BAD_REQUEST_400, "text/plain; charset=utf-8",
                            "the query is not valid: each name and value must be percent-encoded UTF-8\n", head);
                    return true;
                }
            }
            BillingState bill = billing.get();
            if (bill instanceof BillingState.Serving s && s.endpoint().handle(path, request, response, callback, head)) {
                return true;
            }
            if (bill instanceof BillingState.Pending p && BillingEndpoint.isBillingPath(path)) {
                // configured, its database not open: a 503 with the reason, to billing users only
                p.answer(request, response, callback, head);
                return true;
            }
            for (PathEndpoint e : endpoints) {
                if (e.handle(path, request, response, callback, head)) {
                    return true;
                }
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
            SnapshotFamilies poll = snapshotFamilies.get();
            if (poll != null && names.isEmpty()) {
                metricsOncePerPoll(poll, contentType, gzip, response, callback, head);
                return;
            }
            CompletableFuture<byte[]> rendered = renders.get(new RenderKey(contentType, gzip, new TreeSet<>(names)), () -> {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
                try (Writer w = new OutputStreamWriter(gzip ? new GZIPOutputStream(bytes) : bytes, StandardCharsets.UTF_8)) {
                    TextFormat.writeFormat(contentType, w, names.isEmpty()
                            ? registry.metricFamilySamples()
                            : registry.filteredMetricFamilySamples(names));
                }
                return bytes.toByteArray();
            });
            // complete when this thread rendered; else answered from the rendering thread when it ends
            rendered.whenComplete((body, failed) -> {
                if (failed != null) {
                    fail(failed, response, callback, head);
                    return;
                }
                if (gzip) {
                    response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                // the array may be shared with other scrapes: each gets its own read-only view
                response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body).asReadOnlyBuffer(), callback);
            });
        }

        /**
         * The whole exposition as two parts: the poll's families, rendered once per poll and format
         * and compression and kept (the same array for every scrape of the poll), then every other
         * family, rendered now. In OpenMetrics only the second part ends with {@code # EOF}; with
         * gzip both parts make one gzip stream (see {@link GzipParts}).
         */
        private void metricsOncePerPoll(SnapshotFamilies poll, String contentType, boolean gzip, Response response,
                Callback callback, boolean head) {
            Object pin = poll.pin();
            CompletableFuture<byte[]> plainPart = pollRenders.get(pin, new RenderKey(contentType, false, Set.of()),
                    () -> renderPollPart(poll, pin, contentType));
            // with gzip: the plain part compressed once, left open for the rest (see GzipParts)
            CompletableFuture<GzipParts.Head> zipped = gzip
                    ? plainPart.thenCompose(plain -> pollGzips.get(pin, contentType, () -> GzipParts.head(plain)))
                    : CompletableFuture.completedFuture(null);
            CompletableFuture<byte[]> pollPart = gzip ? zipped.thenApply(GzipParts.Head::bytes) : plainPart;
            // the rest changes per scrape; concurrent scrapes still share its render (see SharedRenders)
            CompletableFuture<byte[]> rest = zipped.thenCompose(gzipHead -> liveRenders.get(new LiveKey(contentType, gzip, pin), () -> {
                byte[] live = render(contentType, registry.filteredMetricFamilySamples(notIn(poll)));
                return gzip ? GzipParts.tail(gzipHead, live) : live;
            }));
            rest.whenComplete((second, failed) -> {
                byte[] first = failed == null ? pollPart.join() : null;
                if (failed != null) {
                    fail(failed, response, callback, head);
                    return;
                }
                if (gzip) {
                    response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) first.length + second.length);
                if (head) {
                    response.write(true, ByteBuffer.allocate(0), callback);
                    return;
                }
                // both arrays may be shared with other scrapes: each gets its own read-only views
                response.write(false, ByteBuffer.wrap(first).asReadOnlyBuffer(),
                        Callback.from(() -> response.write(true, ByteBuffer.wrap(second).asReadOnlyBuffer(), callback),
                                callback::failed));
            });
        }

        /** The poll's families without OpenMetrics' {@code # EOF}, which only the whole answer ends with. */
        private static byte[] renderPollPart(SnapshotFamilies poll, Object pin, String contentType) throws IOException {
            byte[] all = render(contentType, java.util.Collections.enumeration(poll.collect(pin)));
            byte[] eof = "# EOF\n".getBytes(StandardCharsets.UTF_8);
            if (TextFormat.CONTENT_TYPE_OPENMETRICS_100.equals(contentType) && all.length >= eof.length
                    && java.util.Arrays.equals(all, all.length - eof.length, all.length, eof, 0, eof.length)) {
                return java.util.Arrays.copyOf(all, all.length - eof.length);
            }
            return all;
        }

        private static byte[] render(String contentType,
                java.util.Enumeration<io.prometheus.client.Collector.MetricFamilySamples> families) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
            try (Writer w = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
                TextFormat.writeFormat(contentType, w, families);
            }
            return bytes.toByteArray();
        }

                /**
         * Accepts the sample names of every family but the poll's: the registry then does not even
         * ask the poll's collector (it selects collectors by the names they registered).
         */
        private io.prometheus.client.Predicate<String> notIn(SnapshotFamilies poll) {
            Set<String> samples = pollSampleNames;
            if (samples == null) {
                samples = new HashSet<>();
                for (String family : poll.familyNames()) {
                    samples.add(family);
                    // every name the registry indexes a family by (CollectorRegistry.getNames)
                    for (String suffix : List.of("_total", "_created", "_count", "_sum", "_bucket", "_gcount", "_gsum", "_info")) {
                        samples.add(family + suffix);
                    }
                }
                pollSampleNames = samples;
            }
            Set<String> leftOut = samples;
            return name -> !leftOut.contains(name);
        }

        private void fail(Throwable failed, Response response, Callback callback, boolean head) {
            Throwable cause = failed instanceof java.util.concurrent.CompletionException ? failed.getCause() : failed;
            failures.log("HTTP: 500 for /metrics: " + cause, cause);
            response.reset();
            securityHeaders(response);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            send(response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "text/plain; charset=utf-8",
                    PlainErrors.text(HttpStatus.INTERNAL_SERVER_ERROR_500), head);
        }

        /** What makes two per-scrape parts of /metrics the same bytes. */
        private record LiveKey(String contentType, boolean gzip, Object pin) {
        }

        /** What makes two /metrics answers the same bytes. */
        private record RenderKey(String contentType, boolean gzip, Set<String> names) {
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
