package io.docclassify.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * An Ollama stand-in of fixed latency for the scale-out measurement: {@code POST /api/chat} answers
 * after {@code latency} milliseconds, at most {@code concurrency} requests at once (the rest wait, as
 * with Ollama's {@code OLLAMA_NUM_PARALLEL}), so one server serves at most concurrency / latency
 * documents per second, like one GPU host.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.docclassify.benchmarks.LlmStandIn PORT LATENCY_MS CONCURRENCY};
 * {@code benchmarks/scale-out.sh} starts one per member.
 */
public final class LlmStandIn {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LlmStandIn() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: LlmStandIn PORT LATENCY_MS CONCURRENCY");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        long latency = Long.parseLong(args[1]);
        Semaphore slots = new Semaphore(Integer.parseInt(args[2]), true);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        server.createContext("/api/chat", exchange -> {
            try (exchange) {
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                slots.acquire();
                try {
                    Thread.sleep(latency);
                } finally {
                    slots.release();
                }
                reply(exchange, body.path("model").asText());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        System.out.println("LLM stand-in on " + port + ": " + latency + " ms, " + args[2] + " at once");
    }

    private static void reply(HttpExchange exchange, String model) throws IOException {
        ObjectNode root = JSON.createObjectNode().put("model", model);
        root.putObject("message").put("role", "assistant")
                .put("content", JSON.createObjectNode().put("label", "report").put("confidence", 0.9).toString());
        root.put("done_reason", "stop").put("done", true);
        byte[] bytes = root.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
