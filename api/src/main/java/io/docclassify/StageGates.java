package io.docclassify;

import java.util.concurrent.Semaphore;

/**
 * Permits for the stages that cost CPU or memory: a document takes a share of the byte budget
 * (its size, at most the whole budget) and a CPU permit before it is extracted.
 *
 * <p>Thread-safe. Both semaphores are fair, so a large file waiting for its share of the byte budget
 * is not overtaken forever by small ones.
 */
/*
 * Why the pipeline and not the engine holds these: the engine only knows documents, while the cost
 * sits in two stages of one document. With an I/O-bound classifier (an LLM) the CPU permit covers
 * extraction only, so 50 documents may wait on the network while the cores extract others; with a
 * CPU-bound one it covers extraction and classification, so the cores are never over-subscribed.
 * The byte budget is counted in KiB to fit an int; a file larger than the budget takes all of it
 * and so runs alone.
 */
final class StageGates {

    private final Semaphore cpu;
    private final Semaphore memory;
    private final int memoryUnits;

    StageGates(int cpuPermits, long maxBytesInFlight) {
        if (cpuPermits < 1) {
            throw new IllegalArgumentException("cpuPermits must be >= 1, got " + cpuPermits);
        }
        this.cpu = new Semaphore(cpuPermits, true);
        this.memoryUnits = (int) Math.min(Integer.MAX_VALUE, Math.max(1, maxBytesInFlight >> 10));
        this.memory = new Semaphore(memoryUnits, true);
    }

    /** Waits for a share of the byte budget for a file of {@code bytes}, then for a CPU permit. */
    Permit enter(long bytes) throws InterruptedException {
        int units = (int) Math.min(memoryUnits, Math.max(1, (bytes + 1023) >> 10));
        memory.acquire(units);
        try {
            cpu.acquire();
        } catch (InterruptedException e) {
            memory.release(units);
            throw e;
        }
        return new Permit(units);
    }

    /** What one document holds; each part is released once, however often it is asked. */
    final class Permit implements AutoCloseable {
        private int units;
        private boolean cpuHeld = true;

        private Permit(int units) {
            this.units = units;
        }

        /** Gives the byte share back: the document's bytes are no longer held, only its capped text. */
        void releaseMemory() {
            if (units > 0) {
                memory.release(units);
                units = 0;
            }
        }

        /** Gives the CPU permit back. */
        void releaseCpu() {
            if (cpuHeld) {
                cpu.release();
                cpuHeld = false;
            }
        }

        @Override
        public void close() {
            releaseMemory();
            releaseCpu();
        }
    }
}
