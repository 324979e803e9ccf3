/**
 * JMH microbenchmarks of the hot path (the parser, the engine's publish and pattern routing, one
 * ring hop, a writer timing its deliveries), built into a runnable jar and never run by the tests.
 * They use only the public API of the transport and the broker.
 *
 * <p>Threads: JMH owns them; each benchmark states its own threads (a {@code @State(Scope.Thread)}
 * per benchmark thread, and for the ring hop a consumer thread started in setup).
 */
package dev.topics.benchmarks;
