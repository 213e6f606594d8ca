package io.docclassify.cli;

import io.docclassify.ConfigurationException;
import io.docclassify.Outcome;
import io.docclassify.classify.ClassifierSpec;
import io.docclassify.hazelcast.ClusterStatus;
import io.docclassify.hazelcast.EngineSettings;
import io.docclassify.hazelcast.HazelcastEngine;
import io.docclassify.hazelcast.NodeSettings;
import io.docclassify.hazelcast.PipelineSpec;
import io.docclassify.spi.Classifier;
import io.docclassify.spi.ExtractedText;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The command line's side of the {@code hazelcast} engine: its settings from the options, and the cluster status. */
final class HazelcastCli {

    static final String DEFAULT_CLUSTER = NodeSettings.DEFAULT_CLUSTER;

    private HazelcastCli() {}

    /** The engine {@code --engine hazelcast} runs on; members rebuild the pipeline the options describe. */
    static HazelcastEngine engine(RunOptions options) {
        if (options.members.isEmpty()) {
            throw new ConfigurationException("--engine hazelcast needs --members HOST:PORT,... of a running member"
                    + " (start one with 'doc-classify node')");
        }
        PipelineSpec spec = new PipelineSpec(options.classifierSpec(), options.limits());
        long ship = options.shipContent == null ? 0 : RunOptions.parseSize(options.shipContent, "--ship-content");
        return new HazelcastEngine(new EngineSettings(options.clusterName, options.members, options.embedded, "127.0.0.1",
                ship, spec, Duration.ofSeconds(60)));
    }

    /**
     * What the submitter holds in place of the classifier, which only members build: the run's summary and its
     * database row name the spec's description, each record the id of the classifier that labelled it.
     */
    record OnMembers(ClassifierSpec spec) implements Classifier {
        @Override
        public String id() {
            return spec.describe();
        }

        @Override
        public Outcome.Classified classify(ExtractedText text) {
            throw new IllegalStateException("the " + spec.describe() + " classifier runs on the cluster's members");
        }

        @Override
        public boolean cpuBound() {
            return false;
        }
    }

    /** The per-member lines of the run summary. */
    static void printPerMember(HazelcastEngine engine, PrintWriter out) {
        Map<String, Long> perMember = engine.lastRunPerMember();
        if (perMember.isEmpty()) {
            return;
        }
        out.printf(Locale.ROOT, "  %-11s %s%n", "members", String.join(", ", perMember.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue())).toList()));
    }

    /** Prints members, their documents in flight, the runs' queue depth and rate. */
    static void printStatus(String clusterName, List<String> members, PrintWriter out) {
        ClusterStatus status;
        try {
            status = ClusterStatus.query(clusterName, members);
        } catch (IllegalStateException e) {
            throw new StartFailure(StartFailure.MEMBERS, "no member of cluster '" + clusterName + "' answered at "
                    + String.join(",", members) + "; check --members and --cluster-name", e);
        }
        out.printf(Locale.ROOT, "cluster '%s': %d members%n", clusterName, status.members().size());
        for (ClusterStatus.MemberLine member : status.members()) {
            out.printf(Locale.ROOT, "  %-21s workers %2d  in flight %3d  done %,8d%s%n", member.address(), member.workers(),
                    member.inFlight(), member.done(), member.draining() ? "  (leaving)" : "");
        }
        if (status.runs().isEmpty()) {
            out.println("no run in progress");
        }
        for (ClusterStatus.RunLine run : status.runs()) {
            out.printf(Locale.ROOT, "run %s: %,d documents, %.1f documents/s, %d chunks queued, %d in flight%n",
                    run.id(), run.documents(), run.documentsPerSecond(), run.queuedChunks(), run.chunksInFlight());
        }
    }
}
