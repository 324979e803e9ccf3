/**
 * What every module's tests share: the one {@link dev.topics.testing.LineClient}, the
 * {@link dev.topics.testing.NettyLeakGuard} JUnit extension and the
 * {@link dev.topics.testing.TrackingAllocator}. Starting a broker is the broker's
 * {@code TestBrokers}, shared through its test-jar.
 *
 * <p>Threads: each object is used by one test thread at a time; the leak guard's log handler may
 * be called from any thread and records into a concurrent list.
 */
package dev.topics.testing;
