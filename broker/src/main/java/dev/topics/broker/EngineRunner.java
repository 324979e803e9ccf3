package dev.topics.broker;

/**
 * Where the engine, the inbound ring's one event handler, runs: on a thread of its own
 * ({@link DedicatedEngine}) or polled by the event loop that publishes into the ring
 * ({@link EventLoopEngine}). The ring, the engine and the order of events are the same either
 * way; only the thread and the wake-up differ (docs/architecture.md, "Placement").
 *
 * <p>Started and stopped by the launching thread; {@link #wakeUp()} is called by event loops.
 */
interface EngineRunner
{
    /** Called by a producer after each publish: nothing, or a wake-up of the polling loop. */
    void wakeUp();

    void start();

    /**
     * Lets the engine take everything published so far, then stops it and runs its
     * {@code onShutdown} on its own thread; returns false if that took longer than
     * {@code timeoutMs}.
     */
    boolean stop(long timeoutMs);
}
