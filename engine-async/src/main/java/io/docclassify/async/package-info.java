/**
 * The virtual-thread engine ({@code async}): bounded in-flight work, SHA-256 dedup, a batching sink.
 *
 * <p>Not built yet (issue 5); until then {@code --engine async} reports that the engine is not available.
 */
package io.docclassify.async;
