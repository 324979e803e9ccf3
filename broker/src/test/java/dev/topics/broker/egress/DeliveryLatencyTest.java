package dev.topics.broker.egress;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Recording, intervals and percentiles of the writers' delivery latencies, fed with chosen read and
 * flush times: no clock, no thread.
 */
class DeliveryLatencyTest
{
    private static final long FLUSHED_NS = TimeUnit.SECONDS.toNanos(1_000);
    /** HdrHistogram keeps 3 significant digits, and the µs reported are rounded up. */
    private static final double ONE_MICRO = 1;

    private final DeliveryLatency writer = new DeliveryLatency(4096);
    private final DeliveryLatencies latencies = new DeliveryLatencies(writer);
    private final Histogram interval = DeliveryLatencies.newIntervalHistogram();

    private static long micros(final long micros)
    {
        return TimeUnit.MICROSECONDS.toNanos(micros);
    }

    @Test
    void shouldReportPercentilesInMicrosOfOneSamplePerDelivery()
    {
        for (int i = 1; i <= 1000; i++)
        {
            writer.delivered(FLUSHED_NS - micros(i)); // 1 µs .. 1000 µs
        }
        writer.written(FLUSHED_NS);

        latencies.readInterval(interval);

        assertEquals(1000, interval.getTotalCount());
        assertEquals(500, DeliveryLatencies.percentileUs(interval, 50), ONE_MICRO);
        assertEquals(990, DeliveryLatencies.percentileUs(interval, 99), ONE_MICRO);
        assertEquals(999, DeliveryLatencies.percentileUs(interval, 99.9), ONE_MICRO);
        assertEquals(1000, DeliveryLatencies.maxUs(interval), ONE_MICRO);
    }

    @Test
    void shouldCountEveryDeliveryOfOneReadTheSameLatency()
    {
        final long fannedOut = FLUSHED_NS - micros(40);
        writer.delivered(fannedOut);
        writer.delivered(fannedOut);
        writer.delivered(fannedOut);
        writer.delivered(FLUSHED_NS - micros(900));
        writer.delivered(fannedOut); // a later read at the same time: a run of its own, same value
        writer.written(FLUSHED_NS);

        latencies.readInterval(interval);

        assertEquals(5, interval.getTotalCount());
        assertEquals(4, interval.getCountAtValue(micros(40)));
        assertEquals(1, interval.getCountAtValue(micros(900)));
    }

    @Test
    void shouldTimeNothingBeforeItIsWritten()
    {
        writer.delivered(FLUSHED_NS - micros(10));
        latencies.readInterval(interval);
        assertEquals(0, interval.getTotalCount());
        writer.written(FLUSHED_NS);
        latencies.readInterval(interval);
        assertEquals(1, interval.getTotalCount());
    }

    @Test
    void shouldStartANewIntervalAtEachReadAndReportZeroWhenEmpty()
    {
        writer.delivered(FLUSHED_NS - micros(250));
        writer.written(FLUSHED_NS);
        latencies.readInterval(interval);
        assertEquals(1, interval.getTotalCount());

        latencies.readInterval(interval);

        assertEquals(0, interval.getTotalCount(), "nothing recorded since the previous read");
        assertEquals(0, DeliveryLatencies.percentileUs(interval, 50));
        assertEquals(0, DeliveryLatencies.percentileUs(interval, 99.9));
        assertEquals(0, DeliveryLatencies.maxUs(interval));
    }

    @Test
    void shouldAddTheIntervalsOfAllWriters()
    {
        final DeliveryLatency other = new DeliveryLatency(16);
        final DeliveryLatencies both = new DeliveryLatencies(writer, other);
        writer.delivered(FLUSHED_NS - micros(10));
        writer.written(FLUSHED_NS);
        other.delivered(FLUSHED_NS - micros(20_000));
        other.written(FLUSHED_NS);

        both.readInterval(interval);

        assertEquals(2, interval.getTotalCount());
        assertEquals(20_000, DeliveryLatencies.maxUs(interval), 20_000 / 1000.0);
    }

    @Test
    void shouldClampValuesOutsideTheRangeInsteadOfThrowing()
    {
        writer.delivered(FLUSHED_NS - TimeUnit.MINUTES.toNanos(2)); // past the 60 s tracked
        writer.delivered(FLUSHED_NS + micros(5)); // read "after" the flush: counted as no time at all
        writer.written(FLUSHED_NS);

        latencies.readInterval(interval);

        assertEquals(2, interval.getTotalCount());
        assertEquals(TimeUnit.SECONDS.toMicros(60), DeliveryLatencies.maxUs(interval), TimeUnit.SECONDS.toMicros(60) / 1000.0);
        assertEquals(1, DeliveryLatencies.percentileUs(interval, 50), "a sample is never reported as 0 µs");
    }

    @Test
    void shouldTimeDeliveriesEarlyRatherThanLoseThemWhenMoreRunsThanRoomArrive()
    {
        final DeliveryLatency small = new DeliveryLatency(2);
        small.delivered(FLUSHED_NS - micros(1));
        small.delivered(FLUSHED_NS - micros(2));
        small.delivered(FLUSHED_NS - micros(3));
        small.written(FLUSHED_NS);

        new DeliveryLatencies(small).readInterval(interval);

        assertEquals(3, interval.getTotalCount());
    }
}
