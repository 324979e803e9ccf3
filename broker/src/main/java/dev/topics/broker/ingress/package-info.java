/**
 * Ingress: from the event loops into the inbound ring. {@link dev.topics.broker.ingress.InboundProxy}
 * offers connection events and parsed commands without blocking (a full ring answers false);
 * {@link dev.topics.broker.ingress.InboundEvent} is the ring's pre-allocated slot.
 *
 * <p>Threads: the proxy is called concurrently by every event-loop thread (the ring may be
 * multi-producer); a slot is filled by one event loop between claim and publish, then read and
 * cleared by the engine thread, never by two threads at once.
 */
package dev.topics.broker.ingress;
