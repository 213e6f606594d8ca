package io.docclassify.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document the service serves describes exactly its routes: a route missing from it (or one it
 * describes that the service does not have) fails here, and so does a wrong word on which routes need a token.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServiceOpenApiTest {

    @TempDir
    Path temp;

    @Test
    void theDocument_listsEveryRoute_andNoOther() throws Exception {
        JsonNode document = document();
        assertThat(document.get("openapi").asText()).startsWith("3.");
        Set<String> routes = new TreeSet<>();
        Service.ROUTES.forEach(route -> routes.add(route.method() + " " + route.template()));
        assertThat(operations(document).keySet()).as("operations in openapi.json vs Service.ROUTES")
                .containsExactlyInAnyOrderElementsOf(routes);
    }

    @Test
    void theDocument_saysWhichRoutesNeedAToken_asTheServiceChecks() throws Exception {
        Map<String, JsonNode> operations = operations(document());
        for (Service.Route route : Service.ROUTES) {
            JsonNode operation = operations.get(route.method() + " " + route.template());
            boolean documentedOpen = operation.has("security") && operation.get("security").isEmpty();
            assertThat(documentedOpen).as("%s %s answers without a token: %s", route.method(), route.template(),
                    route.open()).isEqualTo(route.open());
            if (!route.open()) {
                assertThat(operation.path("responses").has("401")).as("%s %s documents its 401", route.method(),
                        route.template()).isTrue();
            }
        }
    }

    @Test
    void theServedDocument_isTheOneInTheJar() throws Exception {
        Path root = Files.createDirectories(temp.resolve("root"));
        try (ServiceFixture service = new ServiceFixture(temp, "--root", root.toString(), "--jobs-dir",
                temp.resolve("jobs").toString())) {
            HttpResponse<String> answer = service.get("/v1/openapi.json");
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(ServiceFixture.JSON.readTree(answer.body())).isEqualTo(document());
        }
    }

    private static JsonNode document() throws Exception {
        try (InputStream in = Service.class.getResourceAsStream("/io/docclassify/cli/serve/openapi.json")) {
            assertThat(in).as("openapi.json in the jar").isNotNull();
            return ServiceFixture.JSON.readTree(in);
        }
    }

    /** "METHOD /path" to the operation, for every operation of the document. */
    private static Map<String, JsonNode> operations(JsonNode document) {
        Map<String, JsonNode> operations = new java.util.TreeMap<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                if (!method.getKey().equals("parameters")) {
                    operations.put(method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), method.getValue());
                }
            }
        }
        return operations;
    }
}
