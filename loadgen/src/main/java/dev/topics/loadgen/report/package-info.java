/**
 * What a finished run leaves behind: {@code .hgrm} distributions, JSON summaries, the text table
 * and the latency-by-percentile plots.
 *
 * <p>Threads: used by the main thread after the runs; the renderers are stateless.
 */
package dev.topics.loadgen.report;
