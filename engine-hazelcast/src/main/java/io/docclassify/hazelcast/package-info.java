/**
 * The distributed engine ({@code hazelcast}) and its cluster member runner.
 *
 * <p>Not built yet (issue 6); until then {@code --engine hazelcast} reports that the engine is not available.
 */
package io.docclassify.hazelcast;
