import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The load client of benchmarks/service-load.sh: UPLOADS uploads of the given documents (cycled) to
 * POST /v1/classify from CLIENTS concurrent clients, each answer checked to be a well-formed record of
 * the bytes sent (path, sha256, outcome); prints counts by status, p50/p90/p99 latency and documents/second.
 *
 * <p>java -cp 'examples/target/lib/*' benchmarks/ServiceLoad.java URL TOKEN UPLOADS CLIENTS FILE...
 */
public class ServiceLoad {

    private static final Set<String> OUTCOMES = Set.of("classified", "failed", "duplicate");

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String token = args[1];
        int uploads = Integer.parseInt(args[2]);
        int clients = Integer.parseInt(args[3]);
        List<Path> files = Arrays.stream(args, 4, args.length).map(Path::of).toList();
        List<byte[]> bodies = new ArrayList<>();
        List<String> sha256 = new ArrayList<>();
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            bodies.add(bytes);
            sha256.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        }
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        AtomicInteger next = new AtomicInteger();
        AtomicLongArray latencies = new AtomicLongArray(uploads);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger malformed = new AtomicInteger();
        AtomicInteger transportErrors = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            for (int c = 0; c < clients; c++) {
                pool.execute(() -> {
                    for (int i = next.getAndIncrement(); i < uploads; i = next.getAndIncrement()) {
                        int doc = i % files.size();
                        String name = "load/" + i + "/" + files.get(doc).getFileName();
                        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/classify"))
                                .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + token)
                                .header("X-Filename", name)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(doc))).build();
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                            latencies.set(i, System.nanoTime() - t0);
                            statuses.computeIfAbsent(answer.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                            if (answer.statusCode() == 200) {
                                JsonNode record = json.readTree(answer.body());
                                boolean ok = name.equals(record.path("path").asText())
                                        && sha256.get(doc).equals(record.path("sha256").asText())
                                        && OUTCOMES.contains(record.path("outcome").asText())
                                        && (!record.path("outcome").asText().equals("classified")
                                                || !record.path("label").asText().isEmpty());
                                if (!ok) {
                                    malformed.incrementAndGet();
                                    System.err.println("not a record of " + name + ": " + answer.body());
                                }
                            }
                        } catch (Exception e) {
                            latencies.set(i, System.nanoTime() - t0);
                            transportErrors.incrementAndGet();
                            System.err.println(name + ": " + e);
                        }
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = new long[uploads];
        for (int i = 0; i < uploads; i++) {
            sorted[i] = latencies.get(i);
        }
        Arrays.sort(sorted);
        System.out.printf("uploads      %d from %d clients, %d distinct documents%n", uploads, clients, files.size());
        System.out.printf("statuses     %s%n", statuses);
        System.out.printf("5xx          %d%n", statuses.entrySet().stream().filter(e -> e.getKey() >= 500)
                .mapToInt(e -> e.getValue().get()).sum());
        System.out.printf("malformed    %d (answers 200 that are not a record of the bytes sent)%n", malformed.get());
        System.out.printf("errors       %d (connection failures, timeouts)%n", transportErrors.get());
        System.out.printf("latency ms   p50 %.0f  p90 %.0f  p99 %.0f  max %.0f%n", ms(sorted, 0.50), ms(sorted, 0.90),
                ms(sorted, 0.99), sorted[uploads - 1] / 1e6);
        System.out.printf("throughput   %.1f documents/s (%.1f s)%n", uploads / seconds, seconds);
        boolean clean = malformed.get() == 0 && transportErrors.get() == 0
                && statuses.keySet().stream().allMatch(s -> s == 200);
        System.exit(clean ? 0 : 1);
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
