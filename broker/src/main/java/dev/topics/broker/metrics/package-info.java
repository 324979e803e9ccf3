/**
 * The HTTP endpoint for operators ({@code --metrics-port}): {@code GET /metrics} in the Prometheus
 * text format, {@code GET /stats} and {@code GET /clients} as JSON. Every page is built from one
 * {@link dev.topics.broker.report.EngineSnapshot} that the engine filled through the inbound ring,
 * so nothing here reads engine-owned state and nothing on the hot path takes a lock for it.
 *
 * <p>Threads: one daemon thread, {@code topics-metrics-0}, serves every request in turn.
 */
package dev.topics.broker.metrics;
