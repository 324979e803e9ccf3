package dev.topics.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * The one memory budget ({@code --max-memory}) for everything clients can make the broker hold:
 * the direct memory of the channels' pooled allocator (input waiting for the end of its line,
 * frames waiting in the rings, write batches, output pending for slow readers) plus the bytes of
 * the latest values the engine stores on the heap.
 *
 * <p>Three thresholds, with a reserve of max/16:
 * <ul>
 *   <li>the engine stores a new or larger latest value only while the total stays at or below
 *       {@link #refuseAtBytes()} (max minus the reserve); a {@code PUB} that would store more is
 *       answered {@code ERR out-of-memory}, nothing stored, nothing delivered. A {@code PUB} that
 *       stores no more than the value it replaces still goes through;</li>
 *   <li>from {@link #refusePublishAtBytes()} (max minus half the reserve) on, what connections
 *       hold (pending output, incomplete lines, frames in the rings) is eating into the reserve:
 *       the event loops answer every {@code PUB} {@code ERR out-of-memory} before its frame takes
 *       any memory, and the {@link MemoryGuard} cuts the connections holding the most;</li>
 *   <li>small commands ({@code PING}, {@code SUB}, {@code GET}, ...) are always served: their
 *       replies come out of the reserve.</li>
 * </ul>
 *
 * <p>Nothing here takes a lock or is computed per message. The engine publishes its latest-value
 * total in a volatile field only when it changes (a new topic's value, a value of another size);
 * a sampler ({@link MemoryGuard}, every {@link MemoryGuard#PERIOD_US} µs on one event loop
 * from half the budget on, less often below) reads
 * the allocator's figure, which takes the allocator's locks, adds the two, and publishes whether a
 * {@code PUB} must be refused as one volatile flag that the event loops read per {@code PUB} (a
 * plain load on x86).
 *
 * <p>Shared by every thread: {@link #storedLatest} by the engine only, {@link #sample} by the
 * sampler only, the rest by anyone.
 */
public final class MemoryBudget
{
    /** What {@code --max-memory} is when not given: fits a small machine. */
    public static final long MAX_BYTES_DEFAULT = 256L * 1024 * 1024;
    /** The share of the budget kept for small commands once {@code PUB}s are refused: 1/16. */
    public static final int RESERVE_SHIFT = 4;

    private final long maxBytes;
    private final long refuseAtBytes;
    private final long refusePublishAtBytes;
    private final LongAdder refusals = new LongAdder();
    private final LongAdder cuts = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    /** The allocator's figure at the last sample. */
    private volatile long directBytes;
    /** The engine's latest-value total, written by the engine when it changes. */
    private volatile long latestBytes;
    /** Set by the sampler: the last total was at or over {@link #refuseAtBytes()}. */
    private volatile boolean refusing;

    /** @param maxBytes the budget. */
    public MemoryBudget(final long maxBytes)
    {
        final long reserve = maxBytes >> RESERVE_SHIFT;
        this.maxBytes = maxBytes;
        this.refuseAtBytes = maxBytes - reserve;
        this.refusePublishAtBytes = maxBytes - reserve / 2;
    }

    /** A budget nothing reaches, for tests and benchmarks that drive parts of the broker alone. */
    public static MemoryBudget unlimited()
    {
        return new MemoryBudget(Long.MAX_VALUE);
    }

    /** The budget, {@code --max-memory}. */
    public long maxBytes()
    {
        return maxBytes;
    }

    /** The budget less the reserve kept for small commands: stored values never take the total past it. */
    public long refuseAtBytes()
    {
        return refuseAtBytes;
    }

    /** The budget less half the reserve: from this total on every PUB is refused and connections are cut. */
    public long refusePublishAtBytes()
    {
        return refusePublishAtBytes;
    }

    /** The reserve kept for small commands. */
    public long reserveBytes()
    {
        return maxBytes - refuseAtBytes;
    }

    /** Event loop, per PUB: whether the last sample says refuse it ({@code ERR out-of-memory}). */
    public boolean refusesPublish()
    {
        return refusing;
    }

    /**
     * Engine: whether the latest values may grow to {@code latestTotalBytes}, given the direct
     * memory of the last sample.
     */
    public boolean admitsLatest(final long latestTotalBytes)
    {
        return directBytes + latestTotalBytes <= refuseAtBytes;
    }

    /** Engine: publishes its new latest-value total (call only when it changed). */
    public void storedLatest(final long latestTotalBytes)
    {
        latestBytes = latestTotalBytes;
    }

    /**
     * Sampler: takes the allocator's current figure, publishes whether PUBs are to be refused,
     * and returns the total in use.
     */
    public long sample(final long currentDirectBytes)
    {
        directBytes = currentDirectBytes;
        final long latest = latestBytes;
        final long total = currentDirectBytes + latest;
        final boolean refuse = total >= refusePublishAtBytes;
        if (refuse != refusing)
        {
            refusing = refuse;
        }
        return total;
    }

    /** The total in use as last sampled, latest values as of now: STATS {@code memory_used}. */
    public long usedBytes()
    {
        return directBytes + latestBytes;
    }

    /** The direct-memory part of the last sample. */
    public long directBytes()
    {
        return directBytes;
    }

    /** Counts one command answered {@code ERR out-of-memory}. */
    public void refused()
    {
        refusals.increment();
    }

    /** Commands answered {@code ERR out-of-memory}: STATS {@code oom_refusals}. */
    public long refusals()
    {
        return refusals.sum();
    }

    /** Counts one connection cut to bring memory back under the budget. */
    public void cut()
    {
        cuts.increment();
    }

    /** Connections cut for holding the most when memory was full: STATS {@code memory_cuts}. */
    public long cuts()
    {
        return cuts.sum();
    }

    /** Engine: counts latest values dropped to make room ({@code --when-full evict}). */
    public void evicted(final long values)
    {
        evictions.add(values);
    }

    /** Latest values dropped to make room: STATS {@code evictions}. */
    public long evictions()
    {
        return evictions.sum();
    }
}
