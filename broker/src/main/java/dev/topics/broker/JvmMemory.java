package dev.topics.broker;

import io.netty.util.internal.PlatformDependent;

/**
 * The JVM's memory ceilings that {@code --max-memory} must fit under, and the rule that says
 * whether it does. The budget covers direct memory (everything connections hold) and heap
 * (the stored latest values), and either may take nearly all of it, so it must fit under each:
 * at most 7/8 of the direct-memory limit (headroom for what arrives between two samples and for
 * what the budget does not see) and at most the heap limit.
 *
 * <p>Stateless; safe on any thread.
 *
 * @param directBytes the direct-memory limit: {@code -XX:MaxDirectMemorySize}, else the heap limit,
 *                    as the JDK decides it (read through Netty, which asks the JDK, then the JVM's
 *                    input arguments, then falls back to {@code Runtime.maxMemory()} as the JDK does).
 * @param heapBytes   the heap limit, {@code -Xmx} ({@code Runtime.maxMemory()}).
 */
record JvmMemory(long directBytes, long heapBytes)
{
    /** This JVM's limits. */
    static JvmMemory current()
    {
        return new JvmMemory(PlatformDependent.maxDirectMemory(), Runtime.getRuntime().maxMemory());
    }

    /** The largest budget this JVM can hold. */
    long largestBudget()
    {
        return Math.min(directBytes - directBytes / 8, heapBytes);
    }

    /** {@code wanted}, or less if this JVM cannot hold it, in whole MiB: for a budget nobody asked for. */
    long fit(final long wanted)
    {
        final long mib = 1024 * 1024;
        return Math.min(wanted, largestBudget() / mib * mib);
    }

    /** @throws IllegalArgumentException saying which limit {@code maxMemoryBytes} does not fit under, and what to do. */
    void check(final long maxMemoryBytes)
    {
        if (maxMemoryBytes > directBytes - directBytes / 8)
        {
            throw new IllegalArgumentException("max memory " + ByteSize.format(maxMemoryBytes)
                + " must be at most 7/8 of the JVM's direct-memory limit of " + ByteSize.format(directBytes)
                + ": lower --max-memory or raise -XX:MaxDirectMemorySize");
        }
        if (maxMemoryBytes > heapBytes)
        {
            throw new IllegalArgumentException("max memory " + ByteSize.format(maxMemoryBytes)
                + " must be at most the JVM's heap limit of " + ByteSize.format(heapBytes)
                + " (latest values live on the heap): lower --max-memory or raise -Xmx");
        }
    }
}
