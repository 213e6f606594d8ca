package io.docclassify.hazelcast;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster member that takes doc-classify work: what {@code doc-classify node} runs, and what a host
 * application embeds in a few lines.
 *
 * <pre>{@code
 * try (ClusterNode node = ClusterNode.start(NodeSettings.defaults().withMembers(List.of("10.0.0.5:5701")))) {
 *     node.awaitShutdown();
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} hands work back before leaving: the member refuses new chunks (the
 * submitter sends them elsewhere), lets the chunks it runs finish within the grace period, then leaves
 * the cluster gracefully. Chunks still running after the grace are run again by other members.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private final HazelcastInstance instance;
    private final String address;
    private final MemberWorker worker;
    private final Duration grace;
    private final Object lifecycle = new Object();
    private final AtomicBoolean closing = new AtomicBoolean();
    private boolean closed;

    private ClusterNode(HazelcastInstance instance, MemberWorker worker, Duration grace) {
        this.instance = instance;
        this.address = MemberWorker.address(instance);
        this.worker = worker;
        this.grace = grace;
    }

    /** Starts a member with a 30 s grace period for the work it runs when it is closed. */
    public static ClusterNode start(NodeSettings settings) {
        return start(settings, Duration.ofSeconds(30));
    }

    /** Starts a member and joins the cluster; returns once it is a member. */
    public static ClusterNode start(NodeSettings settings, Duration grace) {
        Objects.requireNonNull(settings, "settings");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must be >= 0, got " + grace);
        }
        MemberWorker worker = new MemberWorker(settings.workers(), settings.llmUrls());
        HazelcastInstance instance = Hazelcast.newHazelcastInstance(ClusterConfigs.member(settings, worker));
        worker.publish(instance);
        LOG.info("Member {} joined cluster '{}' ({} members) with {} workers", MemberWorker.address(instance),
                settings.clusterName(), instance.getCluster().getMembers().size(), settings.workers());
        if (!settings.llmUrls().isEmpty()) {
            LOG.info("Member {} asks its own LLM servers {} instead of those submitters name",
                    MemberWorker.address(instance), settings.llmUrls());
        }
        return new ClusterNode(instance, worker, grace);
    }

    /** The member's address, {@code host:port}; known after the member left too. */
    public String address() {
        return address;
    }

    /** The Hazelcast member, for a host that wants its other data structures; do not shut it down directly. */
    public HazelcastInstance instance() {
        return instance;
    }

    /** Documents this member has processed since it started. */
    public long documentsDone() {
        return worker.documentsDone();
    }

    /** Blocks until {@link #close()} runs (from a shutdown hook, say) and has finished. */
    public void awaitShutdown() throws InterruptedException {
        synchronized (lifecycle) {
            while (!closed) {
                lifecycle.wait();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (!closing.compareAndSet(false, true)) {
            try {
                awaitShutdown(); // another thread closes: return once it is done
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            if (!worker.drain(grace)) {
                LOG.warn("Chunks still running after the {} s grace period are left to other members", grace.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (instance.getLifecycleService().isRunning()) {
                instance.shutdown();
            }
            worker.close();
            synchronized (lifecycle) {
                closed = true;
                lifecycle.notifyAll();
            }
        }
    }
}
