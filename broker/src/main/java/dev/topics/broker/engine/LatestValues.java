package dev.topics.broker.engine;

import dev.topics.transport.MemoryBudget;
import io.netty.buffer.ByteBuf;

import java.util.function.Consumer;

/**
 * Every topic's latest value as one account in the {@link MemoryBudget}: stores a value only if
 * the budget admits what it adds, and with {@link WhenFull#EVICT} first drops the values of
 * topics without subscribers, least recently published first, to make room.
 *
 * <p>A stored value counts the bytes of its array plus {@link #VALUE_OVERHEAD_BYTES}. A steady
 * stream of values of about one size reuses each topic's array, so it neither changes the
 * account nor reads the budget: the hot path pays a comparison. With {@code evict}, each store
 * also moves its topic to the newest end of an intrusive list (a few pointer writes).
 *
 * <p>Owned by the engine thread.
 */
final class LatestValues
{
    /** Counted per stored value on top of its bytes: the array's header and a share of its topic's objects. */
    static final int VALUE_OVERHEAD_BYTES = 64;

    private final MemoryBudget budget;
    private final Retention retention;
    private final WhenFull whenFull;
    /** Told of a topic whose value was evicted, so the engine may forget a topic left empty. */
    private final Consumer<Topic> onEvicted;
    private long totalBytes;
    /** The list in order of last publish, with {@link WhenFull#EVICT} only. */
    private Topic oldest;
    private Topic newest;

    LatestValues(final MemoryBudget budget, final Retention retention, final WhenFull whenFull, final Consumer<Topic> onEvicted)
    {
        this.budget = budget;
        this.retention = retention;
        this.whenFull = whenFull;
        this.onEvicted = onEvicted;
    }

    /** Bytes the stored values count for in the budget. */
    long totalBytes()
    {
        return totalBytes;
    }

    /**
     * Stores {@code frame[offset, offset + length)} as {@code topic}'s latest value, unless the
     * budget cannot take it (after evicting, if that is the policy).
     *
     * @return false when it was refused: nothing stored, and the PUB must not be delivered either.
     */
    boolean store(final Topic topic, final ByteBuf frame, final int offset, final int length)
    {
        if (retention == Retention.NONE)
        {
            return true;
        }
        final long growth = cost(topic.latestBytesAfter(length)) - cost(topic.latestBytes());
        if (growth > 0 && !budget.admitsLatest(totalBytes + growth) && !evictFor(topic, growth))
        {
            return false;
        }
        topic.storeLatest(frame, offset, length);
        if (whenFull == WhenFull.EVICT)
        {
            touch(topic);
        }
        if (growth != 0)
        {
            totalBytes += growth;
            budget.storedLatest(totalBytes);
        }
        return true;
    }

    /** Drops {@code topic}'s latest value, if it has one (FLUSH); the caller forgets a topic left empty. */
    void drop(final Topic topic)
    {
        if (!topic.hasLatest())
        {
            return;
        }
        if (whenFull == WhenFull.EVICT)
        {
            unlink(topic);
        }
        totalBytes -= cost(topic.latestBytes());
        topic.clearLatest();
        budget.storedLatest(totalBytes);
    }

    private static long cost(final int arrayBytes)
    {
        return arrayBytes == 0 ? 0 : arrayBytes + VALUE_OVERHEAD_BYTES;
    }

    /**
     * Drops values of topics without exact subscribers, oldest first, until {@code growth} fits;
     * true if it does. Not tried when it could not help: when the direct memory alone (output
     * pending, lines being read) leaves no room for the new value.
     */
    private boolean evictFor(final Topic keep, final long growth)
    {
        if (whenFull != WhenFull.EVICT || !budget.admitsLatest(growth))
        {
            return false;
        }
        long evicted = 0;
        Topic candidate = oldest;
        while (candidate != null && !budget.admitsLatest(totalBytes + growth))
        {
            final Topic newer = candidate.newerValue;
            if (candidate != keep && candidate.subscriberCount() == 0)
            {
                unlink(candidate);
                totalBytes -= cost(candidate.latestBytes());
                candidate.clearLatest();
                evicted++;
                onEvicted.accept(candidate);
            }
            candidate = newer;
        }
        if (evicted > 0)
        {
            budget.storedLatest(totalBytes);
            budget.evicted(evicted);
        }
        return budget.admitsLatest(totalBytes + growth);
    }

    /** Makes {@code topic} the most recently published. */
    private void touch(final Topic topic)
    {
        if (newest == topic)
        {
            return;
        }
        if (topic.olderValue != null || oldest == topic)
        {
            unlink(topic);
        }
        topic.olderValue = newest;
        if (newest != null)
        {
            newest.newerValue = topic;
        }
        newest = topic;
        if (oldest == null)
        {
            oldest = topic;
        }
    }

    private void unlink(final Topic topic)
    {
        final Topic older = topic.olderValue;
        final Topic newer = topic.newerValue;
        if (older == null)
        {
            oldest = newer;
        }
        else
        {
            older.newerValue = newer;
        }
        if (newer == null)
        {
            newest = older;
        }
        else
        {
            newer.olderValue = older;
        }
        topic.olderValue = null;
        topic.newerValue = null;
    }
}
