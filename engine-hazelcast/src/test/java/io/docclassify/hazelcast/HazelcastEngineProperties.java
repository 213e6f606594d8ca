package io.docclassify.hazelcast;

import io.docclassify.contract.EngineProperties;
import io.docclassify.spi.Engine;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** The engine properties, on a cluster of three real members in this JVM. */
class HazelcastEngineProperties extends EngineProperties {

    private static TestCluster cluster;

    @BeforeContainer
    static void startCluster() {
        cluster = TestCluster.start(3, 2);
    }

    @AfterContainer
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @Override
    protected Engine engine() {
        return new HazelcastEngine(cluster.nodes.get(0).instance(),
                EngineSettings.client(cluster.addresses()).withSpec(null).withClusterName(cluster.name));
    }
}
