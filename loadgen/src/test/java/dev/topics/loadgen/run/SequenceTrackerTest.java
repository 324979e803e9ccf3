package dev.topics.loadgen.run;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceTrackerTest
{
    private final SequenceTracker tracker = new SequenceTracker(3, new boolean[] {true, true, false});

    @Test
    void shouldCountInOrderMessagesPerStream()
    {
        for (long sequence = 0; sequence < 10; sequence++)
        {
            assertTrue(tracker.onMessage(0, sequence));
        }
        tracker.onMessage(1, 0);

        assertEquals(10, tracker.received(0));
        assertEquals(1, tracker.received(1));
        assertEquals(0, tracker.duplicated());
        assertEquals(0, tracker.reordered());
    }

    @Test
    void shouldTellALateArrivalFromADuplicate()
    {
        tracker.onMessage(0, 0);
        tracker.onMessage(0, 2);
        assertTrue(tracker.onMessage(0, 1), "1 fills the hole left before 2");
        assertFalse(tracker.onMessage(0, 1), "1 again is a duplicate");
        assertFalse(tracker.onMessage(0, 2), "2 again is a duplicate");

        assertEquals(3, tracker.received(0));
        assertEquals(1, tracker.reordered());
        assertEquals(2, tracker.duplicated());
    }

    @Test
    void shouldLeaveGapsAsMissingSoLossIsExpectedMinusReceived()
    {
        tracker.onMessage(0, 0);
        tracker.onMessage(0, 5000);

        assertEquals(2, tracker.received(0));
        assertEquals(0, tracker.reordered());
    }

    @Test
    void shouldCountMessagesOnUnsubscribedStreamsAsUnexpected()
    {
        assertFalse(tracker.onMessage(2, 0));
        assertFalse(tracker.onMessage(-1, -1));

        assertEquals(2, tracker.unexpected());
    }
}
