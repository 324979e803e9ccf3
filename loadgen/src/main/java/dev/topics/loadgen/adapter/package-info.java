/**
 * One adapter per client protocol (topics, Redis Pub/Sub, NATS): how each spells the few commands
 * the loadgen needs, and the decoders that turn its replies into listener calls. The topics
 * broker's RESP port (kind topics-resp) is driven with the Redis adapter, unchanged.
 *
 * <p>Threads: protocols, targets and kinds are stateless or immutable and shared by every thread;
 * a {@link dev.topics.loadgen.adapter.BrokerConnection} is set up by the run's coordinating thread
 * and then handed to exactly one reading thread (and at most one writing thread); each decoder is
 * owned by the one thread that reads its connection, and listeners are called on that thread.
 */
package dev.topics.loadgen.adapter;
