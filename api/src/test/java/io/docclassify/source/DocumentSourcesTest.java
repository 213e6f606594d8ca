package io.docclassify.source;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.docclassify.ConfigurationException;
import io.docclassify.DocumentRef;
import io.docclassify.spi.DocumentSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class DocumentSourcesTest {

    @TempDir
    Path dir;

    private Path file(String relative) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, relative, UTF_8);
        return file;
    }

    private static List<Path> paths(DocumentSource source) throws IOException {
        try (Stream<DocumentRef> refs = source.open()) {
            return refs.map(DocumentRef::path).toList();
        }
    }

    @Test
    void directory_findsFilesOnEveryLevel_withRootSet() throws IOException {
        List<Path> expected = List.of(file("top.txt"), file("a/one.txt"), file("a/b/two.txt"), file("a/b/c/three.txt"),
                file("a/b/c/four.pdf"), file("x/y/z/deep.txt"));
        Files.createDirectories(dir.resolve("empty/folder"));

        List<DocumentRef> refs;
        try (Stream<DocumentRef> stream = DocumentSources.directory(dir, false).open()) {
            refs = stream.toList();
        }

        assertThat(refs).extracting(DocumentRef::path).as("every file, no directories")
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(refs).allSatisfy(ref -> {
            assertThat(ref.root()).isEqualTo(dir);
            assertThat(ref.followLinksOutOfRoot()).isFalse();
            assertThat(ref.expectedLabel()).isNull();
        });
    }

    @Test
    void directory_walksLazily_seeingFilesAddedAfterOpen() throws IOException {
        file("first.txt");
        Files.createDirectories(dir.resolve("later/deeper"));

        List<Path> seen;
        try (Stream<DocumentRef> refs = DocumentSources.directory(dir, false).open()) {
            Path late = file("later/deeper/late.txt");
            seen = refs.map(DocumentRef::path).toList();
            assertThat(seen).as("a lazy walk lists a subfolder only when it gets there").contains(late);
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX})
    void directory_closedMidway_releasesItsOpenFolders() throws IOException {
        for (int i = 0; i < 5; i++) {
            file("l1/l2/l3/doc" + i + ".txt");
        }

        Stream<DocumentRef> refs = DocumentSources.directory(dir, false).open();
        Iterator<DocumentRef> iterator = refs.iterator();
        assertThat(iterator.next().path()).as("the first file is three levels down").startsWith(dir.resolve("l1/l2/l3"));
        assertThat(openHandlesUnder(dir)).as("a walk at depth 3 holds one stream per level").isGreaterThanOrEqualTo(4);

        refs.close();

        assertThat(openHandlesUnder(dir)).as("closing the stream must close every folder it holds open").isZero();
        assertThat(iterator.hasNext()).as("a closed walk yields nothing more").isFalse();
    }

    private static long openHandlesUnder(Path folder) throws IOException {
        Path real = folder.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd);
                } catch (IOException e) {
                    return Path.of("");
                }
            }).filter(target -> target.startsWith(real)).count();
        }
    }

    @Test
    void directory_linkToFolder_isFollowedOnlyWhenAsked() throws IOException {
        Path inside = file("real/doc.txt");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("far.txt"), "far", UTF_8);
        Path root = dir.resolve("real");
        Files.createSymbolicLink(root.resolve("linked"), outside);

        assertThat(paths(DocumentSources.directory(root, false))).as("default: the link is not entered")
                .containsExactly(inside);
        assertThat(paths(DocumentSources.directory(root, true))).as("followLinks: the link is entered")
                .containsExactlyInAnyOrder(inside, root.resolve("linked/far.txt"));
    }

    @Test
    void directory_linkToFile_isListedWithoutFollowPermission() throws IOException {
        Path target = file("outside/secret.txt");
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createSymbolicLink(root.resolve("link.txt"), target);

        List<DocumentRef> refs;
        try (Stream<DocumentRef> stream = DocumentSources.directory(root, false).open()) {
            refs = stream.toList();
        }

        assertThat(refs).singleElement().satisfies(ref -> {
            assertThat(ref.path()).isEqualTo(root.resolve("link.txt"));
            assertThat(ref.followLinksOutOfRoot()).as("the pipeline must refuse it unless followLinks").isFalse();
        });
    }

    @Test
    void directory_linkCycleWithFollowLinks_listsEachFileOnce() throws IOException {
        Path doc = file("tree/doc.txt");
        Files.createSymbolicLink(dir.resolve("tree/loop"), dir.resolve("tree"));

        List<Path> found = paths(DocumentSources.directory(dir.resolve("tree"), true));

        Path deepest = found.stream().max(Comparator.comparingInt(Path::getNameCount)).orElseThrow();
        assertThat(found.size()).as("a link back to an ancestor must not list the same file again and again;"
                + " deepest path listed: %s", deepest).isEqualTo(1);
        assertThat(found).containsExactly(doc);
    }

    @Test
    void directory_missingRoot_failsOnOpenNamingIt() {
        Path missing = dir.resolve("no-such-folder");

        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> DocumentSources.directory(missing, false).open());

        assertThat(e.getMessage()).contains(missing.toString()).contains("does not exist");
    }

    @Test
    void inputs_missingPath_failsBeforeAnyWorkNamingIt() throws IOException {
        Path present = file("here.txt");
        Path missing = dir.resolve("typo.pdf");

        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> DocumentSources.inputs(List.of(present, missing), false));

        assertThat(e.getMessage()).contains(missing.toString()).contains("check the path");
    }

    @Test
    void inputs_none_isRejectedWithHint() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> DocumentSources.inputs(List.of(), false));

        assertThat(e.getMessage()).contains("at least one file or directory");
    }

    @Test
    void inputs_mixOfFilesAndFolders_walksFoldersAndTakesFilesAsGiven() throws IOException {
        Path single = file("single.txt");
        Path nested = file("folder/sub/nested.txt");

        assertThat(paths(DocumentSources.inputs(List.of(single, dir.resolve("folder")), false)))
                .containsExactly(single, nested);
    }

    @Test
    void manifest_resolvesPathsAgainstItsFolderAndReadsLabels() throws IOException {
        Path a = file("data/docs/a.pdf");
        Path b = file("data/docs/sub/b.txt");
        Path csv = dir.resolve("data/labels.csv");
        Files.writeString(csv, """
                path,label,pages
                docs/a.pdf,invoice,3
                docs/sub/b.txt,,1

                docs/../docs/a.pdf, contract ,2
                """, UTF_8);

        List<DocumentRef> refs;
        try (Stream<DocumentRef> stream = DocumentSources.manifest(csv).open()) {
            refs = stream.toList();
        }

        assertThat(refs).extracting(DocumentRef::path).as("paths relative to the CSV's folder, normalized")
                .containsExactly(a.toAbsolutePath(), b.toAbsolutePath(), a.toAbsolutePath());
        assertThat(refs).extracting(DocumentRef::expectedLabel).as("blank label cells mean no label, spaces trimmed")
                .containsExactly("invoice", null, "contract");
        assertThat(refs).allSatisfy(ref -> assertThat(Files.exists(ref.path())).isTrue());
    }

    @Test
    void manifest_otherLabelColumn_isRead() throws IOException {
        Path a = file("a.txt");
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, "topic,path,label\nsport,a.txt,news_article\n", UTF_8);

        try (Stream<DocumentRef> refs = DocumentSources.manifest(csv, "topic").open()) {
            assertThat(refs.toList()).singleElement().satisfies(ref -> {
                assertThat(ref.path()).isEqualTo(a.toAbsolutePath());
                assertThat(ref.expectedLabel()).isEqualTo("sport");
            });
        }
    }

    @Test
    void manifest_savedByExcel_withByteOrderMarkAndCrLf_isRead() throws IOException {
        Path a = file("a.txt");
        Path csv = dir.resolve("excel.csv");
        Files.writeString(csv, "\uFEFFpath,label\r\n\"a.txt\",\"invoice\"\r\n", UTF_8);

        try (Stream<DocumentRef> refs = DocumentSources.manifest(csv).open()) {
            assertThat(refs.toList()).singleElement().satisfies(ref -> {
                assertThat(ref.path()).isEqualTo(a.toAbsolutePath());
                assertThat(ref.expectedLabel()).isEqualTo("invoice");
            });
        }
    }

    @Test
    void manifest_withoutPathColumn_failsListingTheHeader() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "file,label\na.txt,invoice\n", UTF_8);

        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> DocumentSources.manifest(csv).open());

        assertThat(e.getMessage()).contains(csv.toString()).contains("'path'").contains("[file, label]");
    }

    @Test
    void manifest_missingFile_failsOnOpen() {
        Path csv = dir.resolve("none.csv");

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> DocumentSources.manifest(csv).open());

        assertThat(e.getMessage()).contains(csv.toString());
    }

    @Test
    void concat_yieldsEachSourceInTurn() throws IOException {
        Path first = file("1.txt");
        Path second = file("2.txt");
        Path third = file("tree/3.txt");
        DocumentSource files = DocumentSources.files(List.of(second, first));
        DocumentSource tree = DocumentSources.directory(dir.resolve("tree"), false);

        assertThat(paths(DocumentSources.concat(List.of(files, tree)))).containsExactly(second, first, third);
        assertThat(paths(DocumentSources.concat(List.of(tree, files)))).containsExactly(third, second, first);
    }

    @Test
    void concat_opensTheNextSourceOnlyWhenTheOneBeforeIsDone() throws IOException {
        Path first = file("1.txt");
        int[] opened = new int[1];
        DocumentSource counting = () -> {
            opened[0]++;
            return Stream.of(DocumentRef.of(first));
        };

        try (Stream<DocumentRef> refs = DocumentSources.concat(List.of(counting, counting, counting)).open()) {
            Iterator<DocumentRef> iterator = refs.iterator();
            iterator.next();
            assertThat(opened[0]).as("only the first source is open after one document").isEqualTo(1);
            iterator.next();
            iterator.next();
            assertThat(iterator.hasNext()).isFalse();
            assertThat(opened[0]).isEqualTo(3);
        }
    }
}
