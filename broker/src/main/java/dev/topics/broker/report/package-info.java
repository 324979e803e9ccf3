/**
 * What the broker reports about itself, as values rather than text: the named figures of STATS and
 * of each CLIENTS line ({@link dev.topics.broker.report.FieldSink}), and the snapshot the metrics
 * endpoint asks the engine for through the inbound ring ({@link dev.topics.broker.report.EngineSnapshot}).
 * The text protocol and the HTTP pages write the same keys from one list each.
 *
 * <p>Threads: each class names its owner. Nothing here depends on the engine, the rings or the
 * transport, so the engine, the inbound ring's events and the HTTP endpoint can all share it.
 */
package dev.topics.broker.report;
