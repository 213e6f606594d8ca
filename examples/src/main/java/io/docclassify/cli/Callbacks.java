package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts a job's final status to the callback its client gave, only to the hosts the operator allowed with
 * {@code --callback-allow HOST[:PORT]} (checked when the job is submitted), and retried with a doubling delay
 * when the receiver cannot be reached or answers 5xx or 429. A 2xx ends the attempts; so does any other 4xx,
 * since sending the same body again would not change the answer.
 */
final class Callbacks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Callbacks.class);

    private final List<String> allowed;
    private final int attempts;
    private final Duration firstDelay;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final CountDownLatch closed = new CountDownLatch(1);

    Callbacks(List<String> allowed, int attempts, Duration firstDelay) {
        for (String entry : allowed) {
            if (!entry.matches("[A-Za-z0-9.\\-\\[\\]:]+") || entry.startsWith(":")) {
                throw new ConfigurationException("--callback-allow takes HOST or HOST:PORT, got '" + entry + "'");
            }
        }
        this.allowed = allowed.stream().map(entry -> entry.toLowerCase(Locale.ROOT)).toList();
        this.attempts = attempts;
        this.firstDelay = firstDelay;
    }

    /**
     * Refuses a callback the operator has not allowed.
     *
     * @throws ServiceError 400 for a URL that is not http(s), 403 for a host not allowed
     */
    void check(URI callback) {
        String scheme = callback.getScheme();
        if (callback.getHost() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            throw new ServiceError(400, "\"callback\" must be an http or https URL with a host, got '" + callback + "'");
        }
        String host = callback.getHost().toLowerCase(Locale.ROOT);
        int port = callback.getPort() != -1 ? callback.getPort() : "https".equalsIgnoreCase(scheme) ? 443 : 80;
        if (!allowed.contains(host) && !allowed.contains(host + ":" + port)) {
            throw new ServiceError(403, "callbacks to " + host + ":" + port + " are not allowed; the operator allows"
                    + " hosts with --callback-allow HOST[:PORT]");
        }
    }

    /** Posts {@code json} to {@code callback} on a thread of its own, retrying as the class says. */
    void send(URI callback, String jobId, String json) {
        Thread.ofVirtual().name("docclassify-callback-" + jobId).start(() -> deliver(callback, jobId, json));
    }

    private void deliver(URI callback, String jobId, String json) {
        HttpRequest request = HttpRequest.newBuilder(callback).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        Duration delay = firstDelay;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            String outcome;
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    return;
                }
                if (status / 100 == 4 && status != 429) {
                    LOG.warn("callback of job {} to {} refused with {}; not retried", jobId, callback, status);
                    return;
                }
                outcome = "answered " + status;
            } catch (java.io.IOException e) {
                outcome = "failed: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (attempt == attempts) {
                LOG.warn("callback of job {} to {} {}; gave up after {} attempts", jobId, callback, outcome, attempts);
                return;
            }
            LOG.info("callback of job {} to {} {}; retrying in {} ms", jobId, callback, outcome, delay.toMillis());
            try {
                if (closed.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            delay = delay.multipliedBy(2);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        client.close();
    }
}
