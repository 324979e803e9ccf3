/**
 * The Netty edge: the server bootstrap, the event loops numbered as shards, line framing, one
 * {@link dev.topics.transport.ConnectionHandler} per connection with its
 * {@link dev.topics.transport.AuthGate}, and the {@link dev.topics.transport.CommandSink} through
 * which every parsed command leaves the transport. Knows nothing of the Disruptor or the engine.
 *
 * <p>Threads: a connection and everything attached to it (handler, auth gate, session channel)
 * belong to the one event-loop thread it was accepted on, for its whole life;
 * {@link dev.topics.transport.TransportServer} and {@link dev.topics.transport.IoThreads} are
 * started and closed by the launching thread (main or a test); configurations, enums and
 * {@link dev.topics.transport.Session} (apart from its egress attachment) are immutable and safe
 * on any thread; {@link dev.topics.transport.TransportCounters} are incremented by any event loop
 * and read by any thread.
 */
package dev.topics.transport;
