/**
 * The single owner of all topic state: {@link dev.topics.broker.engine.Engine}, its topics,
 * sessions and counters. Every command arrives here in one order through the inbound ring, so no
 * lock is needed anywhere.
 *
 * <p>Threads: every class here is owned by the engine thread, the inbound ring's one event
 * handler (a dedicated thread or the one event loop, by placement); none is touched by another
 * thread. {@link dev.topics.broker.engine.StatsSource} is called on the engine thread and its
 * implementations read only thread-safe values.
 */
package dev.topics.broker.engine;
