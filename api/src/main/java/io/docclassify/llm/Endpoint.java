package io.docclassify.llm;

import java.net.URI;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/** One LLM server: its request URI, its concurrency limit, its in-flight count and its circuit breaker. */
final class Endpoint {

    final URI uri;
    final Semaphore permits;
    final AtomicInteger inFlight = new AtomicInteger();
    final CircuitBreaker breaker;

    Endpoint(URI uri, int maxConcurrent, CircuitBreaker breaker) {
        this.uri = uri;
        this.permits = new Semaphore(maxConcurrent, true);
        this.breaker = breaker;
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
