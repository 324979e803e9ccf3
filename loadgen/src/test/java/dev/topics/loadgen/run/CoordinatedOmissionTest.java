package dev.topics.loadgen.run;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker that stalls for 100 ms in a 1-second, 1000 msgs/s run: measured from the moment each
 * message was actually written (what a closed-loop client sees), the stall is one slow message;
 * measured from the intended send time of the schedule, every message due during the stall
 * waited, and the percentiles say so.
 */
class CoordinatedOmissionTest
{
    private static final long MS = 1_000_000L;
    private static final long SERVICE_NS = 10_000;
    private static final long STALL_FROM_NS = 100 * MS;
    private static final long STALL_UNTIL_NS = 200 * MS;

    @Test
    void shouldShowEveryMessageDelayedByAStall()
    {
        final Schedule schedule = new Schedule(0, Schedule.intervalNs(1000, 1));
        final LatencyCollector fromIntended = new LatencyCollector();
        final LatencyCollector fromActualSend = new LatencyCollector();
        final SingleWriterRecorder corrected = fromIntended.newRecorder();
        final SingleWriterRecorder naive = fromActualSend.newRecorder();

        long publisherFreeAtNs = 0;
        for (long index = 0; index < schedule.dueBy(999 * MS); index++)
        {
            final long intendedNs = schedule.intendedNs(index);
            // A sender blocked by the stall writes the messages due meanwhile when it resumes.
            long sentNs = Math.max(intendedNs, publisherFreeAtNs);
            if (sentNs >= STALL_FROM_NS && sentNs < STALL_UNTIL_NS)
            {
                sentNs = STALL_UNTIL_NS;
                publisherFreeAtNs = STALL_UNTIL_NS;
            }
            final long receivedNs = sentNs + SERVICE_NS;
            corrected.recordValue(receivedNs - intendedNs);
            naive.recordValue(receivedNs - sentNs);
        }
        final Histogram correctedTotal = totalOf(fromIntended);
        final Histogram naiveTotal = totalOf(fromActualSend);

        assertEquals(1000, correctedTotal.getTotalCount());
        // Naive: every message looks like pure service time, the stall is invisible.
        assertEquals(SERVICE_NS, naiveTotal.getMaxValue(), SERVICE_NS / 100.0);
        // Corrected: 100 of 1000 messages waited 1..100 ms, so p95 is about 50 ms.
        final double p95Ms = correctedTotal.getValueAtPercentile(95) / (double) MS;
        assertTrue(p95Ms > 45 && p95Ms < 55, "p95 was " + p95Ms + " ms");
        assertEquals(100.0, correctedTotal.getMaxValue() / (double) MS, 0.5);
        assertEquals(SERVICE_NS, correctedTotal.getValueAtPercentile(50), SERVICE_NS / 100.0);
    }

    @Test
    void shouldPlanMessagesFromTheScheduleNotFromTheClock()
    {
        final Schedule schedule = new Schedule(1_000, 250);

        assertEquals(0, schedule.dueBy(999));
        assertEquals(1, schedule.dueBy(1_000));
        assertEquals(5, schedule.dueBy(2_000));
        assertEquals(1_000 + 4 * 250, schedule.intendedNs(4));
        assertEquals(250_000, Schedule.intervalNs(4_000, 1));
        assertEquals(1_000_000, Schedule.intervalNs(4_000, 4));
    }

    private static Histogram totalOf(final LatencyCollector collector)
    {
        collector.collect();
        return collector.total();
    }
}
