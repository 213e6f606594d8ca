package io.docclassify.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docclassify.DocumentRecord;
import io.docclassify.sink.RecordJson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The HTTP side of `doc-classify serve`, on Jetty's core server (no servlets): Jetty parses requests and
 * writes responses; this class matches a route from ROUTES, checks the bearer token, and calls the route's
 * action with an Exchange. Actions block (a classification, a database cursor); Jetty's pool of platform
 * threads runs them, and the work they start is bounded elsewhere: synchronous classifications by a
 * semaphore (429 beyond it), jobs by Jobs (queued and running), bodies by limits read here (413).
 *
 * ROUTES is the one list of what the service answers; ServiceOpenApiTest compares it with openapi.json.
 */

/** {@code doc-classify serve}: classifies uploads and runs jobs over HTTP; see {@code docs/service.md}. */
final class Service implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Service.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int JSON_BODY_LIMIT = 1 << 20;
    private static final String RESOURCES = "/io/docclassify/cli/serve/";

    /** What a route does with a request. */
    @FunctionalInterface
    interface Action {
        void handle(Service service, Exchange exchange) throws Exception;
    }

    /**
     * One endpoint: a method, a path template with {@code {name}} parameters, and whether it answers without a
     * token ({@code open}).
     */
    record Route(String method, String template, boolean open, Action action) {
        Map<String, String> match(String path) {
            Matcher m = Pattern.compile(template.replaceAll("\\{[a-z]+}", "([^/]+)")).matcher(path);
            if (!m.matches()) {
                return null;
            }
            Map<String, String> params = new LinkedHashMap<>();
            Matcher names = Pattern.compile("\\{([a-z]+)}").matcher(template);
            for (int group = 1; names.find(); group++) {
                params.put(names.group(1), m.group(group));
            }
            return params;
        }
    }

    static final List<Route> ROUTES = List.of(
            new Route("GET", "/v1/health", true, Service::health),
            new Route("GET", "/v1/openapi.json", false, (s, e) -> e.resource("openapi.json", "application/json")),
            new Route("POST", "/v1/classify", false, Service::classify),
            new Route("POST", "/v1/jobs", false, Service::submit),
            new Route("GET", "/v1/jobs", false, Service::list),
            new Route("GET", "/v1/jobs/{id}", false, Service::job),
            new Route("DELETE", "/v1/jobs/{id}", false, Service::stop),
            new Route("GET", "/v1/jobs/{id}/results", false, Service::results),
            new Route("GET", "/metrics", false, Service::metrics),
            // The page holds no data; its script asks for a token and sends it with each call.
            new Route("GET", "/jobs", true, (s, e) -> e.resource("jobs.html", "text/html; charset=utf-8")));

    private final Tokens tokens;
    private final Roots roots;
    private final Callbacks callbacks;
    private final ClassifierVariants classifiers;
    private final Jobs jobs;
    private final PrometheusMeterRegistry registry;
    private final long maxFileSize;
    private final Semaphore syncPermits;
    private final int maxSync;
    private final Path uploads;
    private final Clock clock;
    private final Server server;

    /** The parts of a service; {@link #start} opens its port. */
    record Parts(Tokens tokens, Roots roots, Callbacks callbacks, ClassifierVariants classifiers, Jobs jobs,
            PrometheusMeterRegistry registry, long maxFileSize, int maxSync, Clock clock) {}

    private Service(Parts parts, InetSocketAddress address) throws IOException {
        this.tokens = parts.tokens();
        this.roots = parts.roots();
        this.callbacks = parts.callbacks();
        this.classifiers = parts.classifiers();
        this.jobs = parts.jobs();
        this.registry = parts.registry();
        this.maxFileSize = parts.maxFileSize();
        this.maxSync = parts.maxSync();
        this.syncPermits = new Semaphore(maxSync);
        this.clock = parts.clock();
        this.uploads = Files.createTempDirectory("doc-classify-uploads");
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("docclassify-http");
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // Jetty reuses a header seen before on the connection when it matches ignoring case (measured with
        // 12.1.13: a token differing from the last one in case only was taken for it); tokens are case-sensitive.
        http.setHeaderCacheCaseSensitive(true);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                dispatch(request, response);
                callback.succeeded();
                return true;
            }
        });
        server.setStopTimeout(5_000);
    }

    /** Starts serving at {@code address} (port 0 picks a free one). */
    static Service start(Parts parts, InetSocketAddress address) throws Exception {
        Service service = new Service(parts, address);
        try {
            service.server.start();
        } catch (Exception e) {
            service.close();
            throw e;
        }
        return service;
    }

    /** Where the service answers, such as {@code http://127.0.0.1:8090}. */
    String url() {
        ServerConnector connector = (ServerConnector) server.getConnectors()[0];
        String host = connector.getHost() == null || connector.getHost().equals("0.0.0.0") ? "127.0.0.1" : connector.getHost();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + connector.getLocalPort();
    }

    private void dispatch(Request request, Response response) {
        long start = System.nanoTime();
        Exchange exchange = new Exchange(request, response);
        String path = Request.getPathInContext(request);
        String template = "unknown";
        try {
            Route route = null;
            boolean pathKnown = false;
            for (Route candidate : ROUTES) {
                Map<String, String> params = candidate.match(path);
                if (params != null) {
                    pathKnown = true;
                    if (candidate.method().equals(request.getMethod())) {
                        route = candidate;
                        exchange.params = params;
                        break;
                    }
                }
            }
            if (route == null) {
                throw pathKnown ? new ServiceError(405, request.getMethod() + " is not allowed on " + path)
                        : new ServiceError(404, "no endpoint " + path + "; GET /v1/openapi.json lists them");
            }
            template = route.template();
            if (!route.open() && !tokens.accepts(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
                throw new ServiceError(401, "this endpoint needs 'Authorization: Bearer TOKEN' with a token of the"
                        + " service's --tokens file");
            }
            route.action().handle(this, exchange);
        } catch (ServiceError e) {
            exchange.error(e.status(), e.getMessage(), e.retryAfterSeconds());
        } catch (Exception | LinkageError e) {
            LOG.warn("{} {} failed", request.getMethod(), path, e);
            exchange.error(500, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        } finally {
            Timer.builder("docclassify.service.requests").description("HTTP requests answered by doc-classify serve")
                    .tags("method", request.getMethod(), "route", template, "status", String.valueOf(response.getStatus()))
                    .register(registry).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private void health(Exchange exchange) throws IOException {
        exchange.json(200, JSON.createObjectNode().put("status", "ok"));
    }

    private void classify(Exchange exchange) throws Exception {
        if (!syncPermits.tryAcquire()) {
            throw new ServiceError(429, maxSync + " classifications are running, as many as --max-sync allows;"
                    + " retry shortly, or submit a job", 1);
        }
        try {
            String name = exchange.header("X-Filename");
            String given = name == null || name.isBlank() ? "upload" : name.strip();
            Path temp = Files.createTempFile(uploads, "upload-", suffix(given));
            try {
                try (InputStream in = exchange.body(maxFileSize, "--max-file-size");
                        OutputStream out = Files.newOutputStream(temp)) {
                    in.transferTo(out);
                }
                DocumentRecord record = classifiers.get(ClassifierVariants.Variant.DEFAULT).classify(temp);
                DocumentRecord named = new DocumentRecord(given, record.sha256(), record.bytes(), record.mediaType(),
                        record.pages(), record.chars(), record.outcome(), record.classifier(), record.timingsMs(),
                        record.parserWarnings(), record.ocrPages());
                exchange.send(200, "application/json", RecordJson.toJson(named).getBytes(StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(temp);
            }
        } finally {
            syncPermits.release();
        }
    }

    /** The name's extension, kept so that a parser that looks at names sees the one the client gave. */
    private static String suffix(String name) {
        Path file = Path.of(name.replace('\\', '/').replaceAll("[^A-Za-z0-9._/-]", "_")).getFileName();
        String last = file == null ? "" : file.toString();
        int dot = last.lastIndexOf('.');
        return dot > 0 && last.length() - dot <= 10 ? last.substring(dot) : "";
    }

    private void submit(Exchange exchange) throws IOException {
        JobRequest request = JobRequest.parse(exchange.jsonBody(), roots, callbacks);
        Job job = jobs.submit(request);
        // As accepted: by the time the answer leaves, a free runner may have started it.
        ObjectNode answer = JSON.createObjectNode().put("id", job.id()).put("state", Job.State.QUEUED.code());
        exchange.response.getHeaders().put(HttpHeader.LOCATION, "/v1/jobs/" + job.id());
        exchange.json(202, answer);
    }

    private void list(Exchange exchange) throws IOException {
        Instant now = clock.instant();
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode list = answer.putArray("jobs");
        jobs.list().forEach(job -> list.add(job.toJson(now)));
        exchange.json(200, answer);
    }

    private void job(Exchange exchange) throws IOException {
        exchange.json(200, jobs.get(exchange.params.get("id")).toJson(clock.instant()));
    }

    private void stop(Exchange exchange) throws IOException {
        exchange.json(202, jobs.stop(exchange.params.get("id")).toJson(clock.instant()));
    }

    private void results(Exchange exchange) throws IOException {
        Job job = jobs.get(exchange.params.get("id"));
        exchange.response.setStatus(200);
        exchange.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-ndjson");
        try (OutputStream out = new BufferedOutputStream(Content.Sink.asOutputStream(exchange.response), 64 * 1024)) {
            jobs.store().results(job, out);
        }
    }

    private void metrics(Exchange exchange) throws IOException {
        exchange.send(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("the HTTP server did not stop cleanly: {}", e.toString());
        }
        try {
            jobs.close();
        } finally {
            classifiers.close();
            jobs.store().close();
            try (var left = Files.list(uploads)) {
                for (Path file : left.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(uploads);
        }
    }

    /** One request and its response, with the helpers the actions share. */
    static final class Exchange {
        final Request request;
        final Response response;
        Map<String, String> params = Map.of();

        Exchange(Request request, Response response) {
            this.request = request;
            this.response = response;
        }

        String header(String name) {
            return request.getHeaders().get(name);
        }

        /**
         * The body, refused with 413 when it declares or turns out to be over {@code limit} bytes.
         *
         * @param setting what sets the limit, for the message
         */
        InputStream body(long limit, String setting) {
            long declared = request.getLength();
            if (declared > limit) {
                throw tooLarge(declared + " bytes", limit, setting);
            }
            InputStream in = Content.Source.asInputStream(request);
            return new InputStream() {
                private long read;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = in.read(b, off, len);
                    if (n > 0 && (read += n) > limit) {
                        throw tooLarge("more than " + limit + " bytes", limit, setting);
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    in.close();
                }
            };
        }

        private static ServiceError tooLarge(String size, long limit, String setting) {
            return new ServiceError(413, "the body has " + size + ", over the limit of " + limit + " bytes ("
                    + setting + ")");
        }

        JsonNode jsonBody() throws IOException {
            try (InputStream in = body(JSON_BODY_LIMIT, "1 MiB for JSON")) {
                return JSON.readTree(in);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ServiceError(400, "the body is not JSON: " + e.getOriginalMessage());
            }
        }

        void json(int status, JsonNode body) throws IOException {
            send(status, "application/json", JSON.writeValueAsBytes(body));
        }

        void resource(String name, String contentType) throws IOException {
            try (InputStream in = Service.class.getResourceAsStream(RESOURCES + name)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCES + name + " is missing from the jar");
                }
                send(200, contentType, in.readAllBytes());
            }
        }

        void send(int status, String contentType, byte[] body) throws IOException {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                out.write(body);
            }
        }

        void error(int status, String message, Integer retryAfterSeconds) {
            if (response.isCommitted()) {
                LOG.warn("answer to {} {} broken off after it began: {}", request.getMethod(),
                        Request.getPathInContext(request), message);
                return;
            }
            if (retryAfterSeconds != null) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, retryAfterSeconds);
            }
            try {
                json(status, JSON.createObjectNode().put("error", message));
            } catch (IOException e) {
                LOG.debug("error answer to {} not delivered: {}", Request.getPathInContext(request), e.getMessage());
            }
        }
    }
}
