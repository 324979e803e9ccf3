package dev.topics.benchmarks;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The run settings every hot-path benchmark shares, in one place (JMH inherits them): throughput
 * in ops/s, 3 warm-up and 5 measured iterations of 1 s, one fork. The command line can override
 * them ({@code -wi}, {@code -i}, {@code -f}).
 *
 * <p>Each benchmark instance is used by the one JMH worker thread that runs it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class HotPathBenchmark
{
}
