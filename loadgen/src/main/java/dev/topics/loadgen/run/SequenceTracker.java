package dev.topics.loadgen.run;

import java.util.Arrays;

/**
 * Owned by one receiving thread (not thread-safe): checks the sequence numbers a subscriber sees
 * per stream and counts duplicated and out-of-order messages without allocating per message.
 *
 * <p>A window of the last {@value #WINDOW} sequence numbers per stream remembers which arrived,
 * so a message below the next expected number is told apart: already seen means duplicated, a
 * hole being filled late means reordered. Loss is not counted here but at the end of a run, as
 * expected minus unique received, because only then is it known what was sent.
 */
public final class SequenceTracker
{
    static final int WINDOW = 4096;
    private static final int WINDOW_MASK = WINDOW - 1;
    private static final int WORDS = WINDOW / 64;

    private final long[] nextSequence;
    private final long[] received;
    private final long[][] seenWindows;
    private long duplicated;
    private long reordered;
    private long unexpected;

    /**
     * @param streams     number of streams in the run
     * @param subscribed  which streams this subscriber should see; others count as unexpected
     */
    public SequenceTracker(final int streams, final boolean[] subscribed)
    {
        nextSequence = new long[streams];
        received = new long[streams];
        seenWindows = new long[streams][];
        for (int stream = 0; stream < streams; stream++)
        {
            if (subscribed[stream])
            {
                seenWindows[stream] = new long[WORDS];
            }
        }
    }

    /**
     * Accounts for one delivery.
     *
     * @return true when it is a new message (not a duplicate and for a subscribed stream)
     */
    public boolean onMessage(final int stream, final long sequence)
    {
        final long[] seen = stream >= 0 && stream < seenWindows.length ? seenWindows[stream] : null;
        if (seen == null || sequence < 0)
        {
            unexpected++;
            return false;
        }
        final long next = nextSequence[stream];
        if (sequence >= next)
        {
            clearSkipped(seen, next, sequence);
            mark(seen, sequence);
            nextSequence[stream] = sequence + 1;
            received[stream]++;
            return true;
        }
        if (next - sequence > WINDOW)
        {
            // Too old to remember: a late arrival is the only way to get here without a bug in
            // the broker duplicating very old messages, so count it as reordered.
            reordered++;
            received[stream]++;
            return true;
        }
        if (isMarked(seen, sequence))
        {
            duplicated++;
            return false;
        }
        mark(seen, sequence);
        reordered++;
        received[stream]++;
        return true;
    }

    /** Unique messages received on {@code stream}. */
    public long received(final int stream)
    {
        return received[stream];
    }

    public long duplicated()
    {
        return duplicated;
    }

    public long reordered()
    {
        return reordered;
    }

    /** Messages on streams this subscriber never subscribed to, or with a header not ours. */
    public long unexpected()
    {
        return unexpected;
    }

    private static void clearSkipped(final long[] seen, final long fromInclusive, final long toExclusive)
    {
        final long gap = toExclusive - fromInclusive;
        if (gap >= WINDOW)
        {
            Arrays.fill(seen, 0L);
            return;
        }
        for (long sequence = fromInclusive; sequence < toExclusive; sequence++)
        {
            final int bit = (int) (sequence & WINDOW_MASK);
            seen[bit >>> 6] &= ~(1L << (bit & 63));
        }
    }

    private static void mark(final long[] seen, final long sequence)
    {
        final int bit = (int) (sequence & WINDOW_MASK);
        seen[bit >>> 6] |= 1L << (bit & 63);
    }

    private static boolean isMarked(final long[] seen, final long sequence)
    {
        final int bit = (int) (sequence & WINDOW_MASK);
        return (seen[bit >>> 6] & (1L << (bit & 63))) != 0;
    }
}
