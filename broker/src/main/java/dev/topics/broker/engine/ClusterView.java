package dev.topics.broker.engine;

/**
 * Which members the engine believes are up, and from that each topic's home and next home:
 * rendezvous hashing of the topic over the live members. Every node computes the same home from
 * the same set of live members, and when a member leaves only the topics it was home of move
 * (each to its next home, which kept a copy of the latest value).
 *
 * <p>Owned by the engine thread; changed only by MEMBERS events, in order with every command.
 */
final class ClusterView
{
    static final int NONE = -1;

    private final int selfId;
    private long live;
    private int version;

    ClusterView(final int selfId)
    {
        this.selfId = selfId;
        this.live = 1L << selfId;
    }

    int selfId()
    {
        return selfId;
    }

    long live()
    {
        return live;
    }

    boolean isLive(final int member)
    {
        return (live & 1L << member) != 0;
    }

    /** Changes with every change of the live members, so caches of homes know to recompute. */
    int version()
    {
        return version;
    }

    void setLive(final long members)
    {
        live = members | 1L << selfId; // this node is always up to itself
        version++;
    }

    /** The live member with the highest score for {@code name}: the topic's home. */
    int home(final TopicName name)
    {
        return ranked(name, live, 0);
    }

    /** The home under a given set of live members. */
    static int homeAmong(final TopicName name, final long members)
    {
        return ranked(name, members, 0);
    }

    /** The live member with the second-highest score: the topic's home if the home fails; or NONE. */
    int backup(final TopicName name)
    {
        return ranked(name, live, 1);
    }

    static int backupAmong(final TopicName name, final long members)
    {
        return ranked(name, members, 1);
    }

    /** The member of {@code members} ranked {@code rank} (0 or 1) for {@code name}, or NONE. */
    private static int ranked(final TopicName name, final long members, final int rank)
    {
        final long topicHash = mix(name.hashCode() * 0x9E3779B97F4A7C15L);
        int best = NONE;
        int second = NONE;
        long bestScore = 0;
        long secondScore = 0;
        for (long rest = members; rest != 0; rest &= rest - 1)
        {
            final int member = Long.numberOfTrailingZeros(rest);
            final long score = mix(topicHash ^ (member * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L));
            if (best == NONE || Long.compareUnsigned(score, bestScore) > 0)
            {
                second = best;
                secondScore = bestScore;
                best = member;
                bestScore = score;
            }
            else if (second == NONE || Long.compareUnsigned(score, secondScore) > 0)
            {
                second = member;
                secondScore = score;
            }
        }
        return rank == 0 ? best : second;
    }

    /** SplitMix64's finalizer: every input bit reaches every output bit. */
    private static long mix(final long value)
    {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
