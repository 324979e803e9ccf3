/**
 * Egress: from the engine through the outbound ring to the sockets.
 * {@link dev.topics.broker.egress.WriterProxy} is the engine's way in;
 * {@link dev.topics.broker.egress.Writer} drains the ring for one shard, writing per event and
 * flushing once per drain; {@link dev.topics.broker.egress.SessionOutput} is a connection's
 * write state.
 *
 * <p>Threads: {@code WriterProxy} is used only by the engine thread (the ring is single-producer);
 * an {@link dev.topics.broker.egress.OutboundEvent} is filled by the engine and read, then cleared,
 * by the one writer of its shard; each {@code Writer} and its sessions' {@code SessionOutput}s
 * belong to the event-loop thread of that shard, the same thread the channels live on.
 */
package dev.topics.broker.egress;
