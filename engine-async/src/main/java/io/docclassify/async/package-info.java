/**
 * The virtual-thread engine ({@code async}): a virtual thread per document, a bound on documents in
 * flight, CPU-bound stages bounded by the pipeline's permits; dedup and batching come from the shared pipeline and sinks.
 */
package io.docclassify.async;
