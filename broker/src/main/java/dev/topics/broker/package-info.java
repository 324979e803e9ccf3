/**
 * The broker as a whole: {@link dev.topics.broker.TopicsBroker} wires the pipeline (event loops,
 * inbound ring, engine, outbound ring, writers) in one place; {@link dev.topics.broker.Main} is
 * the command line; {@link dev.topics.broker.BrokerConfig} is every setting, validated; the
 * engine runners place the engine on its own thread or on the event loop.
 *
 * <p>Threads: launching and closing happen on one controlling thread (main or a test), which is
 * also the thread {@code Main} waits on for a signal. {@link dev.topics.broker.DedicatedEngine}
 * runs the engine on {@code topics-engine-0}; {@link dev.topics.broker.EventLoopEngine} runs it
 * on the one event loop. {@link dev.topics.broker.BrokerStats} is asked by the engine thread and
 * reads only values safe from any thread; the exception handler runs on the thread of the handler
 * that threw. Configurations and enums are immutable and safe on any thread.
 */
package dev.topics.broker;
