package dev.topics.loadgen.run;

import java.util.ArrayList;
import java.util.List;

/**
 * Immutable, so shared by every thread of a run: who publishes and who subscribes to what.
 *
 * <p>A <em>stream</em> is one publisher's messages to one topic; sequence numbers count per
 * stream so a subscriber can check order and loss even when it only sees some of a publisher's
 * topics. With P publishers, T topics and S subscribers there are {@code max(P, T)} streams;
 * stream {@code i} is published by {@code i % P} to topic {@code i % T}. Subscriber {@code s}
 * subscribes to every topic {@code t} with {@code t % S == s} when {@code T >= S}, else to the
 * single topic {@code s % T} (so one topic and S subscribers is a fan-out of S).
 */
public final class Topology
{
    private final int publishers;
    private final int subscribers;
    private final int topics;
    private final int streams;

    public Topology(final int publishers, final int subscribers, final int topics)
    {
        if (publishers < 1 || subscribers < 1 || topics < 1)
        {
            throw new IllegalArgumentException("publishers, subscribers and topics must be at least 1");
        }
        this.publishers = publishers;
        this.subscribers = subscribers;
        this.topics = topics;
        this.streams = Math.max(publishers, topics);
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

    /** Topics that {@code subscriber} subscribes to. */
    public int[] topicsOf(final int subscriber)
    {
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

    /** Topic name on the wire: short, valid for topics, Redis channels and NATS subjects. */
    public static String topicName(final int topic)
    {
        return "lg.t" + topic;
    }
}
