package io.docclassify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import io.docclassify.classify.RulesClassifier;
import io.docclassify.classify.Taxonomy;
import io.docclassify.contract.Corpus;
import io.docclassify.contract.SequentialEngine;
import io.docclassify.extract.TikaExtractor;
import io.docclassify.sink.JsonLinesSink;
import io.docclassify.source.DocumentSources;
import io.docclassify.spi.ExtractedText;
import io.docclassify.spi.ExtractionException;
import io.docclassify.spi.ExtractionProgress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated hostile documents (see {@link HostileFiles}) through the whole pipeline with isolated
 * extraction, next to real papers: each ends as one record with a reason, within its budgets and a
 * child heap of 256 MB, nothing is fetched from the network and no local file leaks into results.
 */
@Timeout(600)
class HostileInputTest {

    private static final String FILE_SECRET = "SECRET-FROM-FILE-7f3a";
    private static final String HTTP_SECRET = "SECRET-FROM-HTTP-9c1e";
    private static final String BOTTOM = "the bottom of the nested archive";

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private Path secret;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = ("<!ENTITY leak \"" + HTTP_SECRET + "\">" + HTTP_SECRET).getBytes(UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        secret = Files.writeString(dir.resolve("secret.txt"), FILE_SECRET, UTF_8);
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url(String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
    }

    @Test
    void hostileFiles_endAsOneRecordEach_withReasons_andTheRunGoesOn() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path bomb = HostileFiles.zipBomb(in.resolve("bomb.zip"), 10, 200);
        assertThat(Files.size(bomb)).as("the bomb is tiny (2,000 MiB unpacked)").isLessThan(100_000);
        Path nested = HostileFiles.nestedArchive(in.resolve("nested.zip"), 40, BOTTOM);
        Path laughs = HostileFiles.billionLaughs(in.resolve("laughs.xml"));
        Path xxeFile = HostileFiles.externalEntity(in.resolve("xxe-file.xml"), secret.toUri().toString());
        Path xxeHttp = HostileFiles.externalEntity(in.resolve("xxe-http.xml"), url("entity"));
        Path references = HostileFiles.externalReferences(in.resolve("references.svg"), url("reference"));
        Path emptyPages = HostileFiles.emptyPages(in.resolve("empty-pages.pdf"), 5000);
        List<Path> inputs = new ArrayList<>(List.of(bomb, nested, laughs, xxeFile, xxeHttp, references, emptyPages));
        inputs.addAll(Corpus.papers(2));
        Path results = dir.resolve("results.jsonl");
        ListSink records = new ListSink();
        try (DocumentClassifier classifier = DocumentClassifier.builder().engine(new SequentialEngine()).workers(1)
                .classifier(new RulesClassifier(Taxonomy.builtIn())).isolate(Isolation.defaults().withChildHeap("256m"))
                .build();
                JsonLinesSink file = JsonLinesSink.open(results, JsonLinesSink.Mode.OVERWRITE)) {
            classifier.run(DocumentSources.files(inputs), file);
            classifier.run(DocumentSources.files(inputs), records);
        }
        assertThat(records.records).as("documents in = records out").hasSize(inputs.size());

        // The text budget ends the bomb's parse after its first few thousand characters: classified, quickly.
        assertThat(records.only(bomb).outcome()).isInstanceOf(Outcome.Classified.class);
        assertFailed(records.only(nested), "too_large", "nested more than 8 levels deep");
        assertFailed(records.only(laughs), "too_large", "entityExpansionLimit");
        assertFailed(records.only(emptyPages), "no_text", "no text found");
        assertThat(records.only(emptyPages).pages()).isEqualTo(5000);
        for (Path xml : List.of(xxeFile, xxeHttp, references)) {
            assertThat(records.only(xml).outcome()).as("%s parses without its references", xml)
                    .isInstanceOf(Outcome.Classified.class);
        }
        for (Path paper : Corpus.papers(2)) {
            assertThat(records.only(paper).outcome()).isInstanceOf(Outcome.Classified.class);
        }
        assertThat(requests.get()).as("HTTP requests that reached the loopback server").isZero();
        assertThat(Files.readString(results)).doesNotContain(FILE_SECRET).doesNotContain(HTTP_SECRET)
                .contains("\"reason\":\"too_large\"");
    }

    /** Asserts that {@code record} failed in extraction with {@code reason} and a message holding {@code messagePart}. */
    static void assertFailed(DocumentRecord record, String reason, String messagePart) {
        assertThat(record.outcome()).as("record %s", record).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.stage()).isEqualTo(Stage.EXTRACT);
            assertThat(failed.reason()).isEqualTo(reason);
            assertThat(failed.message()).contains(messagePart);
        });
    }

    @Test
    void externalEntities_areNeverResolved_inProcessOrIsolated() throws Exception {
        ExtractionLimits limits = ExtractionLimits.defaults();
        List<Path> files = List.of(
                HostileFiles.externalEntity(dir.resolve("xxe-file.xml"), secret.toUri().toString()),
                HostileFiles.externalEntity(dir.resolve("xxe-http.xml"), url("entity")),
                HostileFiles.externalReferences(dir.resolve("references.svg"), url("reference")));
        TikaExtractor inProcess = new TikaExtractor(limits);
        try (IsolatedExtractor isolated = new IsolatedExtractor(Isolation.defaults(), limits)) {
            for (Path file : files) {
                ExtractedText here = inProcess.extract(file, ExtractionProgress.NONE);
                ExtractedText there = isolated.extract(file, ExtractionProgress.NONE);
                for (ExtractedText text : List.of(here, there)) {
                    assertThat(text.text()).as("text of %s", file).doesNotContain(FILE_SECRET)
                            .doesNotContain(HTTP_SECRET);
                }
            }
        }
        assertThat(requests.get()).as("HTTP requests that reached the loopback server").isZero();
    }

    @Test
    void zipBomb_withFullText_failsAsTooLarge() throws Exception {
        Path bomb = HostileFiles.zipBomb(dir.resolve("bomb.zip"), 10, 200);
        TikaExtractor extractor = new TikaExtractor(ExtractionLimits.defaults().withFullText(true));
        ExtractionException e = assertThrows(ExtractionException.class,
                () -> extractor.extract(bomb, ExtractionProgress.NONE));
        assertThat(e.reason()).isEqualTo("too_large");
        assertThat(e.getMessage()).contains("zip bomb");
    }

    @Test
    void nestedArchive_isNotFollowedPastTheDepthLimit() throws Exception {
        Path nested = HostileFiles.nestedArchive(dir.resolve("nested.zip"), 40, BOTTOM);
        ExtractionException e = assertThrows(ExtractionException.class, () -> new TikaExtractor(
                ExtractionLimits.defaults()).extract(nested, ExtractionProgress.NONE));
        assertThat(e.reason()).isEqualTo("too_large");
        Path shallow = HostileFiles.nestedArchive(dir.resolve("shallow.zip"), 5, BOTTOM);
        assertThat(new TikaExtractor(ExtractionLimits.defaults()).extract(shallow, ExtractionProgress.NONE).text())
                .as("an archive within the limit is read to the bottom").contains(BOTTOM);
    }
}
