package io.docclassify.hazelcast;

import io.docclassify.ConfigurationException;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * How a cluster member starts: which cluster, whom to join, where to listen, how many documents at once.
 *
 * @param clusterName members and submitters join only a cluster of this name
 * @param members {@code host:port} of members to join (TCP/IP join; multicast stays off); empty for the first member
 * @param bind the address to listen on; loopback by default, since Hazelcast's open-source edition has no authentication
 * @param port the port to listen on (the next free one is taken if it is busy)
 * @param workers documents this member processes at once (>= 1), or 0 for a member that takes no work
 * @param llmUrls the LLM servers this member asks instead of those the submitter names (typically the Ollama
 *     on the member's own host); empty to use the submitter's
 */
public record NodeSettings(String clusterName, List<String> members, String bind, int port, int workers,
        List<String> llmUrls) {

    /** The cluster name used when none is given. */
    public static final String DEFAULT_CLUSTER = "doc-classify";
    /** The port used when none is given. */
    public static final int DEFAULT_PORT = 5701;

    public NodeSettings {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(bind, "bind");
        members = List.copyOf(members);
        llmUrls = List.copyOf(llmUrls);
        if (clusterName.isBlank()) {
            throw new ConfigurationException("NodeSettings.clusterName", clusterName,
                    "NodeSettings.clusterName must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new ConfigurationException("NodeSettings.port", port, "NodeSettings.port must be in 1..65535, got " + port);
        }
        if (workers < 0) {
            throw new ConfigurationException("NodeSettings.workers", workers,
                    "NodeSettings.workers must be >= 1 (or 0 for a member that takes no work), got " + workers);
        }
        members.forEach(NodeSettings::checkAddress);
        for (String url : llmUrls) {
            if (!isBaseUrl(url)) {
                throw new ConfigurationException("NodeSettings.llmUrls", url,
                        "NodeSettings.llmUrls takes base URLs such as http://127.0.0.1:11434, got '" + url + "'");
            }
        }
    }

    /** A member that asks the LLM servers the submitter names. */
    public NodeSettings(String clusterName, List<String> members, String bind, int port, int workers) {
        this(clusterName, members, bind, port, workers, List.of());
    }

    /** A member of the default cluster on loopback, port 5701, one worker per core. */
    public static NodeSettings defaults() {
        return new NodeSettings(DEFAULT_CLUSTER, List.of(), "127.0.0.1", DEFAULT_PORT,
                Runtime.getRuntime().availableProcessors());
    }

    public NodeSettings withMembers(List<String> value) {
        return new NodeSettings(clusterName, value, bind, port, workers, llmUrls);
    }

    public NodeSettings withPort(int value) {
        return new NodeSettings(clusterName, members, bind, value, workers, llmUrls);
    }

    public NodeSettings withWorkers(int value) {
        return new NodeSettings(clusterName, members, bind, port, value, llmUrls);
    }

    public NodeSettings withClusterName(String value) {
        return new NodeSettings(value, members, bind, port, workers, llmUrls);
    }

    public NodeSettings withBind(String value) {
        return new NodeSettings(clusterName, members, value, port, workers, llmUrls);
    }

    public NodeSettings withLlmUrls(List<String> value) {
        return new NodeSettings(clusterName, members, bind, port, workers, value);
    }

    /** Like the LLM clients: {@code http://host:port}, {@code https://...}, or {@code host:port} meaning http. */
    private static boolean isBaseUrl(String url) {
        try {
            URI uri = URI.create(url.contains("://") ? url : "http://" + url);
            return uri.getHost() != null && (uri.getScheme().equals("http") || uri.getScheme().equals("https"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static void checkAddress(String address) {
        int colon = address.lastIndexOf(':');
        boolean valid = colon > 0 && colon < address.length() - 1;
        if (valid) {
            try {
                int port = Integer.parseInt(address.substring(colon + 1));
                valid = port >= 1 && port <= 65535;
            } catch (NumberFormatException e) {
                valid = false;
            }
        }
        if (!valid) {
            throw new ConfigurationException("NodeSettings.members", address,
                    "NodeSettings.members takes host:port entries such as 127.0.0.1:5701, got '" + address + "'");
        }
    }
}
