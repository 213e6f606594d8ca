package io.docclassify.run;

import io.docclassify.concurrent.NamedThreads;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP server for watching a run: {@code /metrics} (Prometheus text format), {@code /api/run}
 * (the {@link RunMonitor}'s state as JSON) and {@code /}, a live dashboard page served from the jar.
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver}, so it needs no web server library; two daemon
 * threads answer requests. Read-only: every route answers GET only. It binds where it is told; the CLI
 * binds to loopback unless asked otherwise, since the page shows file paths.
 */
/*
 * The page polls /api/run once a second and draws from that JSON alone, so everything it shows is also
 * there for scripts. The dashboard files are read once, before the port is bound, so a broken jar fails at once.
 */
public final class StatusServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> PAGES = Map.of(
            "/", "dashboard.html",
            "/dashboard.js", "dashboard.js",
            "/dashboard.css", "dashboard.css");

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry prometheus;
    private final RunMonitor monitor;
    private final Map<String, byte[]> files;

    private StatusServer(HttpServer server, PrometheusMeterRegistry prometheus, RunMonitor monitor,
            Map<String, byte[]> files) {
        this.server = server;
        this.prometheus = prometheus;
        this.monitor = monitor;
        this.files = files;
        this.executor = Executors.newFixedThreadPool(2, NamedThreads.daemon("docclassify-status-"));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Starts serving on {@code address} (port 0 picks a free port; see {@link #port()}).
     *
     * @param prometheus the registry {@code /metrics} scrapes
     * @param monitor the run {@code /api/run} and the page show
     * @throws IOException when the address cannot be bound, for example because the port is taken
     */
    public static StatusServer start(InetSocketAddress address, PrometheusMeterRegistry prometheus, RunMonitor monitor)
            throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(prometheus, "prometheus");
        Objects.requireNonNull(monitor, "monitor");
        Map<String, byte[]> files = Map.of("dashboard.html", resource("dashboard.html"), "dashboard.js",
                resource("dashboard.js"), "dashboard.css", resource("dashboard.css"));
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new IOException("cannot start the status server on " + address.getHostString() + ":"
                    + address.getPort() + " (" + e.getMessage() + "); choose another StatusServer.port, or 0 for any free one",
                    e);
        }
        StatusServer status = new StatusServer(server, prometheus, monitor, files);
        server.start();
        LOG.info("Status page at {} (metrics at {}metrics)", status.url(), status.url());
        return status;
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The dashboard's address, such as {@code http://127.0.0.1:8080/}. */
    public String url() {
        String host = server.getAddress().getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                send(exchange, 405, "text/plain; charset=utf-8", "only GET is served\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/metrics" -> send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                        prometheus.scrape().getBytes(StandardCharsets.UTF_8));
                case "/api/run" -> send(exchange, 200, "application/json",
                        JSON.writeValueAsBytes(monitor.snapshot()));
                default -> {
                    String file = PAGES.get(path);
                    if (file == null) {
                        send(exchange, 404, "text/plain; charset=utf-8", ("no page at " + path
                                + "; try /, /api/run or /metrics\n").getBytes(StandardCharsets.UTF_8));
                    } else {
                        send(exchange, 200, contentType(file), files.get(file));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("The status server failed to answer {}: {}", exchange.getRequestURI(), e.toString());
            throw e;
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String contentType(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        return file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
    }

    private static byte[] resource(String name) {
        try (InputStream in = StatusServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard file " + name + " is missing from the jar; rebuild it");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard file " + name, e);
        }
    }

    /** Stops answering at once; requests under way are cut off. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
