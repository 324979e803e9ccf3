/**
 * The {@code topics-loadgen} command: option parsing and the plan of runs.
 *
 * <p>Threads: {@link dev.topics.loadgen.LoadgenMain} runs on the main thread, which plans the
 * runs, runs them one after another and reports; the converters are stateless and safe on any
 * thread.
 */
package dev.topics.loadgen;
