package io.docclassify.llm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the endpoint for the next call: among those whose breaker lets a call through, the one with
 * the fewest requests in flight (ties taken in turn), preferring one other than the endpoint that
 * just failed. Waits for a permit when every usable endpoint is at its concurrency limit.
 *
 * <p>Thread-safe.
 */
final class EndpointPool {

    private final List<Endpoint> endpoints;
    private final AtomicInteger turn = new AtomicInteger();

    EndpointPool(List<Endpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    List<Endpoint> endpoints() {
        return endpoints;
    }

    /**
     * An endpoint holding one of its permits and counted in flight, or {@code null} when every breaker
     * is open; give it back with {@link #release}.
     */
    Endpoint acquire(Endpoint avoid) throws InterruptedException {
        while (true) {
            List<Endpoint> order = order(avoid);
            for (Endpoint e : order) {
                if (e.permits.tryAcquire()) {
                    if (take(e)) {
                        return e;
                    }
                }
            }
            // Every endpoint is busy or refusing: wait on the least loaded one whose breaker is closed.
            Endpoint wait = order.stream().filter(e -> !e.breaker.isOpen()).findFirst().orElse(null);
            if (wait == null) {
                return null;
            }
            wait.permits.acquire();
            if (take(wait)) {
                return wait;
            }
        }
    }

    /** Called with {@code e}'s permit held: keeps it if the breaker lets the call through. */
    private static boolean take(Endpoint e) {
        if (e.breaker.tryAcquire()) {
            e.inFlight.incrementAndGet();
            return true;
        }
        e.permits.release();
        return false;
    }

    void release(Endpoint e) {
        e.inFlight.decrementAndGet();
        e.permits.release();
    }

    private List<Endpoint> order(Endpoint avoid) {
        int n = endpoints.size();
        int start = Math.floorMod(turn.getAndIncrement(), n);
        List<Endpoint> rotated = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rotated.add(endpoints.get((start + i) % n));
        }
        rotated.sort(Comparator.<Endpoint>comparingInt(e -> e == avoid ? 1 : 0)
                .thenComparingInt(e -> e.inFlight.get()));
        return rotated;
    }
}
