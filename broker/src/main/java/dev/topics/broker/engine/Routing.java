package dev.topics.broker.engine;

import dev.topics.transport.codec.TopicMatch;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Who receives a topic's messages: its exact subscribers and the subscribers of every pattern
 * that matches it, each connection once. Holds the patterns, one {@link PatternIndex} per syntax,
 * and a bounded cache of resolved topics, so that a publish is one route lookup and one array walk
 * rather than a match against the patterns.
 *
 * <p>How the cache stays cheap (NATS' subject cache taught what to avoid: sweeping every entry
 * on each subscription change, and a cache that grows with every subject ever published):
 * <ul>
 * <li>With no pattern in the engine nothing is cached: a topic's receivers are its exact
 *     subscribers, as before patterns existed.</li>
 * <li>A topic enters the cache on its first publish while patterns exist: its matching patterns
 *     are found once, by the index, and linked both ways (route → patterns, pattern → topics).</li>
 * <li>A change touches only what it changes: a new pattern walks the cached topics' token tree
 *     along its own tokens; a removed pattern, or one whose subscribers change, marks exactly the
 *     topics it is linked to; an exact subscription marks its one topic. Marked routes merge
 *     their receivers again on their next publish, not before.</li>
 * <li>The cache holds at most {@code capacity} topics; a full cache evicts by the clock (second
 *     chance for topics published since the hand last passed), handing the evicted route to the
 *     newcomer.</li>
 * </ul>
 *
 * <p>Owned by the engine thread.
 */
final class Routing
{
    private final PatternIndex[] indexes = new PatternIndex[TopicMatch.values().length];
    private final TokenTree<Topic> cachedTopics = new TokenTree<>();
    private final TopicRoute[] clock;
    private final Tokens topicTokens = new Tokens();
    private final ArrayList<Pattern> matches = new ArrayList<>();
    private int cachedCount;
    private int hand;
    private int patternCount;
    /** Stamps the sessions already counted by the merge in progress. */
    private long mergeMark;
    private long evictions;

    Routing(final int cacheCapacity)
    {
        if (cacheCapacity < 1)
        {
            throw new IllegalArgumentException("route cache capacity must be at least 1: " + cacheCapacity);
        }
        indexes[TopicMatch.TOKEN_PATTERN.ordinal()] = new TokenPatternIndex();
        indexes[TopicMatch.GLOB_PATTERN.ordinal()] = new GlobPatternIndex();
        clock = new TopicRoute[cacheCapacity];
    }

    /** Distinct patterns over all syntaxes. */
    int patternCount()
    {
        return patternCount;
    }

    /** Topics whose route is cached now. */
    int cachedTopics()
    {
        return cachedCount;
    }

    /** Routes evicted to make room since start. */
    long evictions()
    {
        return evictions;
    }

    Pattern findPattern(final TopicMatch syntax, final TopicName probe)
    {
        return index(syntax).find(probe);
    }

    /** Creates the pattern {@code name} (a stored copy) and links it to the cached topics it matches. */
    Pattern addPattern(final TopicMatch syntax, final TopicName name)
    {
        final PatternIndex index = index(syntax);
        final Pattern pattern = index.add(name);
        patternCount++;
        index.forEachMatchingTopic(pattern, cachedTopics, topic -> link(topic, pattern));
        return pattern;
    }

    /** Drops a pattern that lost its last subscriber, from the index and every route counting it. */
    void removePattern(final Pattern pattern)
    {
        for (final Topic topic : pattern.cachedMatches)
        {
            topic.route.removePattern(pattern);
        }
        pattern.cachedMatches.clear();
        index(pattern.syntax).remove(pattern);
        patternCount--;
    }

    /** A session joined or left {@code pattern}: the topics it matches merge their receivers again. */
    void patternSubscribersChanged(final Pattern pattern)
    {
        for (final Topic topic : pattern.cachedMatches)
        {
            topic.route.stale = true;
        }
    }

    /** A session joined or left {@code topic} exactly. */
    void exactSubscribersChanged(final Topic topic)
    {
        if (topic.route != null)
        {
            topic.route.stale = true;
        }
    }

    /** The engine drops {@code topic}: its route, if any, goes too. */
    void forget(final Topic topic)
    {
        final TopicRoute route = topic.route;
        if (route == null)
        {
            return;
        }
        unlink(route);
        final int slot = route.slot;
        final TopicRoute last = clock[--cachedCount];
        clock[slot] = last;
        last.slot = slot;
        clock[cachedCount] = route;
        route.slot = cachedCount;
        if (hand >= cachedCount)
        {
            hand = 0;
        }
    }

    /**
     * Makes {@link Topic#receivers()} true for a publish to {@code topic}: nothing to do without
     * patterns or for a cached, unchanged route; otherwise a cache admission and/or a merge.
     */
    void prepare(final Topic topic)
    {
        if (patternCount == 0)
        {
            return;
        }
        TopicRoute route = topic.route;
        if (route == null)
        {
            route = admit(topic);
        }
        route.recentlyUsed = true;
        if (route.stale && route.patternCount > 0)
        {
            merge(topic, route);
        }
    }

    private PatternIndex index(final TopicMatch syntax)
    {
        return indexes[syntax.ordinal()];
    }

    private TopicRoute admit(final Topic topic)
    {
        final TopicRoute route;
        if (cachedCount < clock.length)
        {
            if (clock[cachedCount] == null)
            {
                clock[cachedCount] = new TopicRoute(cachedCount);
            }
            route = clock[cachedCount++];
        }
        else
        {
            route = victim();
            unlink(route);
            evictions++;
        }
        route.topic = topic;
        topic.route = route;
        cachedTopics.put(topicTokens.split(topic.name), topic);
        matches.clear();
        for (final PatternIndex index : indexes)
        {
            if (index != null && index.size() > 0)
            {
                index.collectMatches(topicTokens, matches);
            }
        }
        for (int i = 0; i < matches.size(); i++)
        {
            link(topic, matches.get(i));
        }
        matches.clear();
        route.stale = true;
        return route;
    }

    /** The clock's next route not published to since the hand last passed it. */
    private TopicRoute victim()
    {
        while (true)
        {
            final TopicRoute route = clock[hand];
            hand = hand + 1 == cachedCount ? 0 : hand + 1;
            if (!route.recentlyUsed)
            {
                return route;
            }
            route.recentlyUsed = false;
        }
    }

    private static void link(final Topic topic, final Pattern pattern)
    {
        topic.route.addPattern(pattern);
        pattern.cachedMatches.add(topic);
    }

    /** Takes {@code route}'s topic out of the cache, leaving the route empty in its slot. */
    private void unlink(final TopicRoute route)
    {
        final Topic topic = route.topic;
        for (int i = 0; i < route.patternCount; i++)
        {
            route.patterns[i].cachedMatches.remove(topic);
        }
        cachedTopics.remove(topicTokens.split(topic.name));
        topic.route = null;
        route.clear();
    }

    /**
     * Exact subscribers, then each matching pattern's: a session that receives once per connection
     * is skipped when already counted; one that receives once per subscription gets an entry for
     * each pattern, after its exact one.
     */
    private void merge(final Topic topic, final TopicRoute route)
    {
        final long mark = ++mergeMark;
        int bound = topic.subscriberCount();
        for (int p = 0; p < route.patternCount; p++)
        {
            bound += route.patterns[p].subscriberCount();
        }
        SessionState[] receivers = route.receivers;
        Pattern[] via = route.via;
        if (receivers.length < bound || receivers.length > 64 && receivers.length / 4 > bound)
        {
            receivers = new SessionState[bound];
            via = new Pattern[bound];
        }
        int count = 0;
        final int[] byProtocol = route.receiversByProtocol;
        Arrays.fill(byProtocol, 0);
        for (int i = 0; i < topic.subscriberCount(); i++)
        {
            final SessionState state = topic.subscriber(i);
            state.receiverMark = mark;
            via[count] = null;
            receivers[count++] = state;
            byProtocol[state.protocol]++;
        }
        for (int p = 0; p < route.patternCount; p++)
        {
            final Pattern pattern = route.patterns[p];
            for (int i = 0; i < pattern.subscriberCount(); i++)
            {
                final SessionState state = pattern.subscriber(i);
                if (state.perSubscription)
                {
                    via[count] = pattern;
                    receivers[count++] = state;
                    byProtocol[state.protocol]++;
                }
                else if (state.receiverMark != mark)
                {
                    state.receiverMark = mark;
                    via[count] = null;
                    receivers[count++] = state;
                    byProtocol[state.protocol]++;
                }
            }
        }
        if (receivers == route.receivers && count < route.receiverCount)
        {
            Arrays.fill(receivers, count, route.receiverCount, null); // let departed sessions go
            Arrays.fill(via, count, route.receiverCount, null);
        }
        route.receivers = receivers;
        route.via = via;
        route.receiverCount = count;
        route.subscriptionCount = bound;
        route.stale = false;
    }
}
