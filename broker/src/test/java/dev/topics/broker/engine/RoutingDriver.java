package dev.topics.broker.engine;

import dev.topics.transport.codec.TopicMatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives a {@link Routing} the way the {@link Engine} does, with named sessions and string names,
 * for tests of the route cache on its own: each change to a subscription is followed by the
 * invalidation call the engine makes, and a publish is {@link Routing#prepare} then a read of the
 * topic's receivers. Also checks the cache's books against what it was asked to do.
 */
final class RoutingDriver
{
    final Routing routing;
    private final int capacity;
    private final Map<String, Topic> topics = new HashMap<>();
    private final Map<String, Pattern> patterns = new HashMap<>();
    private final Map<SessionState, String> labels = new IdentityHashMap<>();
    private final List<Topic> forgotten = new ArrayList<>();
    private long admissions;
    private long forgottenWhileCached;

    RoutingDriver(final int capacity)
    {
        this.routing = new Routing(capacity);
        this.capacity = capacity;
    }

    /** A new session, named in what {@link #receivers} returns. */
    SessionState session(final String label)
    {
        final SessionState state = new SessionState(null, 0);
        labels.put(state, label);
        return state;
    }

    Topic topic(final String name)
    {
        return topics.computeIfAbsent(name, n -> new Topic(PatternReference.name(n)));
    }

    Pattern pattern(final String name)
    {
        return patterns.get(name);
    }

    Pattern glob(final String name)
    {
        return patterns.get(key(TopicMatch.GLOB_PATTERN, name));
    }

    void subscribe(final SessionState state, final String topic)
    {
        final Topic t = topic(topic);
        if (!state.isSubscribed(t))
        {
            t.addSubscriber(state);
            routing.exactSubscribersChanged(t);
        }
    }

    void unsubscribe(final SessionState state, final String topic)
    {
        final Topic t = topics.get(topic);
        if (t != null && state.isSubscribed(t))
        {
            t.removeSubscriber(state);
            routing.exactSubscribersChanged(t);
        }
    }

    void subscribePattern(final SessionState state, final String... names)
    {
        for (final String pattern : names)
        {
            subscribeToOnePattern(state, TopicMatch.TOKEN_PATTERN, pattern);
        }
    }

    /** Subscribes to Redis globs, as the RESP front end's PSUBSCRIBE will. */
    void subscribeGlob(final SessionState state, final String... names)
    {
        for (final String glob : names)
        {
            subscribeToOnePattern(state, TopicMatch.GLOB_PATTERN, glob);
        }
    }

    private void subscribeToOnePattern(final SessionState state, final TopicMatch syntax, final String pattern)
    {
        Pattern p = routing.findPattern(syntax, PatternReference.name(pattern));
        if (p == null)
        {
            p = routing.addPattern(syntax, PatternReference.name(pattern));
            patterns.put(key(syntax, pattern), p);
        }
        if (!state.isSubscribed(p))
        {
            p.addSubscriber(state);
            routing.patternSubscribersChanged(p);
        }
    }

    /** Leaves the pattern; its last subscriber leaving removes it, as in the engine. */
    void unsubscribePattern(final SessionState state, final String pattern)
    {
        unsubscribe(state, TopicMatch.TOKEN_PATTERN, pattern);
    }

    /** Leaves the glob, as {@link #unsubscribePattern} leaves a token pattern. */
    void unsubscribeGlob(final SessionState state, final String glob)
    {
        unsubscribe(state, TopicMatch.GLOB_PATTERN, glob);
    }

    private void unsubscribe(final SessionState state, final TopicMatch syntax, final String pattern)
    {
        final Pattern p = routing.findPattern(syntax, PatternReference.name(pattern));
        if (p == null || !state.isSubscribed(p))
        {
            return;
        }
        p.removeSubscriber(state);
        if (p.subscriberCount() == 0)
        {
            routing.removePattern(p);
            patterns.remove(key(syntax, pattern));
        }
        else
        {
            routing.patternSubscribersChanged(p);
        }
    }

    /** Token patterns by their name, globs by "glob " and theirs: the two may share a name. */
    private static String key(final TopicMatch syntax, final String pattern)
    {
        return syntax == TopicMatch.GLOB_PATTERN ? "glob " + pattern : pattern;
    }

    private static String key(final Pattern pattern)
    {
        return key(pattern.syntax, pattern.name.toString());
    }

    /** Whether the pattern held under {@code key} matches {@code topic}, by the plain references. */
    private boolean matches(final String key, final String topic)
    {
        final Pattern pattern = patterns.get(key);
        if (pattern.syntax == TopicMatch.GLOB_PATTERN)
        {
            final byte[] bytes = topic.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return new GlobMatcher(pattern.name.bytes(), pattern.name.length()).matches(bytes, bytes.length);
        }
        return PatternReference.matches(key, topic);
    }

    /** The engine drops a topic once it holds nothing: its exact subscribers leave first. */
    void forget(final String topic)
    {
        final Topic t = topics.remove(topic);
        if (t == null)
        {
            return;
        }
        while (t.subscriberCount() > 0)
        {
            t.removeSubscriber(t.subscriber(0));
        }
        routing.exactSubscribersChanged(t);
        if (t.route != null)
        {
            forgottenWhileCached++;
        }
        routing.forget(t);
        forgotten.add(t);
    }

    /**
     * Whom a publish to {@code topic} reaches, as sorted labels: a session listed twice was
     * counted twice.
     */
    List<String> receivers(final String topic)
    {
        final Topic t = topic(topic);
        if (routing.patternCount() > 0 && t.route == null)
        {
            admissions++;
        }
        routing.prepare(t);
        final SessionState[] receivers = t.receivers();
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < t.receiverCount(); i++)
        {
            names.add(labels.get(receivers[i]));
        }
        names.sort(null);
        return names;
    }

    /**
     * The cache holds at most its capacity; each topic admitted is still cached, or was evicted
     * (counted), or forgotten; and the links between cached topics and patterns are exactly the
     * matching pairs, both ways, with nothing left of forgotten topics.
     */
    void assertConsistent()
    {
        assertTrue(routing.cachedTopics() <= capacity, () -> routing.cachedTopics() + " cached, capacity " + capacity);
        assertEquals(admissions, routing.evictions() + routing.cachedTopics() + forgottenWhileCached, "admissions");
        assertEquals(patterns.size(), routing.patternCount());
        int cached = 0;
        for (final Topic topic : topics.values())
        {
            if (topic.route == null)
            {
                continue;
            }
            cached++;
            assertSame(topic, topic.route.topic);
            final List<String> linked = new ArrayList<>();
            for (int i = 0; i < topic.route.patternCount; i++)
            {
                linked.add(key(topic.route.patterns[i]));
            }
            final List<String> matching = matching(topic);
            assertEquals(matching, sortedCopy(linked), () -> "patterns linked to " + topic);
            matching.forEach(pattern -> assertTrue(patterns.get(pattern).cachedMatches.contains(topic), () -> pattern + " misses " + topic));
        }
        assertEquals(cached, routing.cachedTopics());
        for (final Map.Entry<String, Pattern> entry : patterns.entrySet())
        {
            for (final Topic topic : entry.getValue().cachedMatches)
            {
                assertSame(topic, topics.get(topic.name.toString()), () -> entry.getKey() + " links a topic no longer held");
                assertTrue(topic.route != null && matches(entry.getKey(), topic.name.toString()),
                    () -> entry.getKey() + " links " + topic);
            }
        }
        for (final Topic topic : forgotten)
        {
            assertNull(topic.route, () -> "forgotten " + topic + " keeps a route");
        }
    }

    private List<String> matching(final Topic topic)
    {
        final List<String> names = new ArrayList<>();
        for (final String pattern : patterns.keySet())
        {
            if (matches(pattern, topic.name.toString()))
            {
                names.add(pattern);
            }
        }
        return sortedCopy(names);
    }

    private static List<String> sortedCopy(final List<String> names)
    {
        final List<String> copy = new ArrayList<>(names);
        copy.sort(null);
        return copy;
    }
}
