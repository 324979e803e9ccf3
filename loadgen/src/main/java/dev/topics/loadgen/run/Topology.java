package dev.topics.loadgen.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Immutable, so shared by every thread of a run: who publishes and who subscribes to what.
 *
 * <p>A <em>stream</em> is one publisher's messages to one topic; sequence numbers count per
 * stream so a subscriber can check order and loss even when it only sees some of a publisher's
 * topics. With P publishers, T topics and S subscribers there are {@code max(P, T)} streams;
 * stream {@code i} is published by {@code i % P} to topic {@code i % T}. Subscriber {@code s}
 * subscribes to every topic {@code t} with {@code t % S == s} when {@code T >= S}, else to the
 * single topic {@code s % T} (so one topic and S subscribers is a fan-out of S).
 *
 * <p>With pattern subscriptions every subscriber instead subscribes once, to {@link #PATTERN},
 * and so receives every topic; the topics are then named {@code bench.<t>}, which the pattern
 * matches in every broker's syntax (topics and NATS: {@code *} is one token; Redis: a glob).
 */
public final class Topology
{
    /** What a subscriber subscribes to when it subscribes by pattern: every {@code bench.<t>}. */
    public static final String PATTERN = "bench.*";
    private static final String PATTERN_TOPIC_PREFIX = "bench.";

    private final int publishers;
    private final int subscribers;
    private final int topics;
    private final int streams;
    private final boolean byPattern;

    /** Subscribers on exact topics. */
    public Topology(final int publishers, final int subscribers, final int topics)
    {
        this(publishers, subscribers, topics, false);
    }

    /** Subscribers on exact topics, or each on {@link #PATTERN} when {@code byPattern}. */
    public Topology(final int publishers, final int subscribers, final int topics, final boolean byPattern)
    {
        if (publishers < 1 || subscribers < 1 || topics < 1)
        {
            throw new IllegalArgumentException("publishers, subscribers and topics must be at least 1");
        }
        this.publishers = publishers;
        this.subscribers = subscribers;
        this.topics = topics;
        this.streams = Math.max(publishers, topics);
        this.byPattern = byPattern;
        if (streams > PayloadCodec.MAX_STREAMS)
        {
            throw new IllegalArgumentException("too many streams: " + streams);
        }
    }

    public int publishers()
    {
        return publishers;
    }

    public int subscribers()
    {
        return subscribers;
    }

    public int topics()
    {
        return topics;
    }

    public int streams()
    {
        return streams;
    }

    /** Whether every subscriber subscribes to {@link #PATTERN} instead of to its topics. */
    public boolean byPattern()
    {
        return byPattern;
    }

    public int publisherOf(final int stream)
    {
        return stream % publishers;
    }

    public int topicOf(final int stream)
    {
        return stream % topics;
    }

    /** Streams that {@code publisher} sends, in the round-robin order it sends them. */
    public int[] streamsOf(final int publisher)
    {
        final List<Integer> owned = new ArrayList<>();
        for (int stream = publisher; stream < streams; stream += publishers)
        {
            owned.add(stream);
        }
        return owned.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Topics that {@code subscriber} receives: all of them when it subscribes by pattern. */
    public int[] topicsOf(final int subscriber)
    {
        if (byPattern)
        {
            return IntStream.range(0, topics).toArray();
        }
        if (topics < subscribers)
        {
            return new int[] {subscriber % topics};
        }
        final List<Integer> owned = new ArrayList<>();
        for (int topic = subscriber; topic < topics; topic += subscribers)
        {
            owned.add(topic);
        }
        return owned.stream().mapToInt(Integer::intValue).toArray();
    }

    public boolean subscribes(final int subscriber, final int topic)
    {
        if (byPattern)
        {
            return true;
        }
        return topics < subscribers ? topic == subscriber % topics : topic % subscribers == subscriber;
    }

    /** Whether {@code subscriber} receives anything that {@code publisher} sends. */
    public boolean receivesFrom(final int subscriber, final int publisher)
    {
        for (final int stream : streamsOf(publisher))
        {
            if (subscribes(subscriber, topicOf(stream)))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * What {@code subscriber} subscribes to on the wire: the names of its topics, or the one
     * pattern; {@link #byPattern} says which.
     */
    public String[] subscriptionsOf(final int subscriber)
    {
        if (byPattern)
        {
            return new String[] {PATTERN};
        }
        return Arrays.stream(topicsOf(subscriber)).mapToObj(this::topicName).toArray(String[]::new);
    }

    /**
     * Topic name on the wire: short, valid for topics, Redis channels and NATS subjects; two
     * tokens starting with {@code bench} when subscribers subscribe by {@link #PATTERN}.
     */
    public String topicName(final int topic)
    {
        return (byPattern ? PATTERN_TOPIC_PREFIX : "lg.t") + topic;
    }
}
