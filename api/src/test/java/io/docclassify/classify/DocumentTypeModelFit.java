package io.docclassify.classify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.docclassify.classify.DocumentTypeFit.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Fits the built-in {@link DocumentTypeModel}s on every labelled document and writes their weights to
 * {@code api/src/main/resources/.../}: the zero-shot default without similarity features
 * ({@value DocumentTypeModel#RESOURCE}) and the one with them that corrections start from
 * ({@value DocumentTypeModel#WITH_SIMILARITIES_RESOURCE}); prints the leave-one-source-out tables of
 * docs/accuracy.md first. Not part of the build (surefire runs {@code *Test}). Run:
 * {@code mvn -o test -pl api -Dtest=DocumentTypeModelFit -Dsurefire.failIfNoSpecifiedTests=false}
 *
 * <p>The evidence is computed with the models in the jar (only the classifier's id depends on the
 * weights), so one run refits them.
 */
class DocumentTypeModelFit {

    @Test
    void fitAndWrite() throws IOException {
        List<String> classes = DocumentTypeFit.classes();
        List<Sample> withSimilarities = DocumentTypeFit.samplesWithSimilarities();
        fitAndWrite("", DocumentTypeFit.withoutSimilarities(withSimilarities), classes, DocumentTypeModel.RESOURCE);
        fitAndWrite(", with similarities", withSimilarities, classes, DocumentTypeModel.WITH_SIMILARITIES_RESOURCE);
    }

    private static void fitAndWrite(String variant, List<Sample> samples, List<String> classes, String resource) throws IOException {
        Map<Sample, double[]> heldOut = DocumentTypeFit.leaveOneSourceOut(samples, classes);
        List<Sample> broad = samples.stream().filter(Sample::broad).toList();
        DocumentTypeFit.report("leave-one-source-out, document_types_broad" + variant, broad, heldOut, classes);
        DocumentTypeFit.report("leave-one-source-out, document_type_labels.csv" + variant,
                samples.stream().filter(s -> !s.broad()).toList(), heldOut, classes);
        DocumentTypeModel model = DocumentTypeFit.fit(samples, classes);
        Map<Sample, double[]> fitted = samples.stream().collect(Collectors.toMap(s -> s, s -> model.probabilities(s.evidence())));
        DocumentTypeFit.report("fitted on all (in-sample), document_types_broad" + variant, broad, fitted, classes);
        Path out = Path.of("src/main/resources/io/docclassify/classify", resource);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out.toFile(), model);
        System.out.println("wrote " + out.toAbsolutePath());
    }
}
