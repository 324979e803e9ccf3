/**
 * One run from connect to report: the topology, the open-loop schedules, the publisher and
 * subscriber threads, latency recording (one {@code SingleWriterRecorder} per recording thread)
 * and the order checks.
 *
 * <p>Threads: {@link dev.topics.loadgen.run.LoadRun} runs on the caller's thread and owns the run;
 * each {@link dev.topics.loadgen.run.Publisher} and {@link dev.topics.loadgen.run.Subscriber} runs
 * on its own thread as the only user of its connection, and owns its schedule, sequence tracker
 * and recorder; collectors, meters and the progress printer belong to the coordinating thread;
 * specs, scenarios, topologies and results are immutable and shared by every thread.
 */
package dev.topics.loadgen.run;
