package dev.topics.broker.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Routing} on its own: receivers are the exact subscribers and those of every matching
 * pattern, each session once, and every change that can make a cached route wrong does make it
 * merge again. Receivers are compared as sorted names, so a session counted twice fails.
 */
class RoutingTest
{
    private RoutingDriver driver = new RoutingDriver(8);
    private final SessionState alice = driver.session("alice");
    private final SessionState bob = driver.session("bob");
    private final SessionState carol = driver.session("carol");

    @Test
    void shouldRefuseACacheWithoutRoom()
    {
        assertThrows(IllegalArgumentException.class, () -> new Routing(0));
    }

    @Test
    void shouldCacheNothingWhileNoPatternExists()
    {
        driver.subscribe(alice, "a.b");
        driver.subscribe(bob, "a.b");
        assertEquals(List.of("alice", "bob"), driver.receivers("a.b"));
        assertEquals(List.of(), driver.receivers("a.c"));
        assertEquals(0, driver.routing.cachedTopics());
        assertNull(driver.topic("a.b").route);
        driver.assertConsistent();
    }

    @Test
    void shouldReachEachSessionOnceHoweverManyOfItsSubscriptionsMatch()
    {
        driver.subscribe(alice, "a.b");
        driver.subscribePattern(alice, "a.*", ">", "*.b");
        driver.subscribePattern(bob, "a.>", "a.*");
        driver.subscribe(carol, "a.c");
        driver.subscribePattern(carol, "a.*");
        assertEquals(List.of("alice", "bob", "carol"), driver.receivers("a.b"));
        assertEquals(List.of("alice", "bob", "carol"), driver.receivers("a.c"));
        assertEquals(List.of("alice", "bob"), driver.receivers("a.b.c"));
        assertEquals(List.of("alice"), driver.receivers("b.b"));
        assertEquals(List.of("alice"), driver.receivers("a"), "a.* and a.> need a second token");
        assertEquals(List.of("alice", "bob", "carol"), driver.receivers("a.b"), "the same again from the cache");
        driver.assertConsistent();
    }

    @Test
    void shouldAddANewPatternToTheCachedTopicsItMatches()
    {
        driver.subscribePattern(alice, "x.>");
        driver.subscribe(bob, "a.b");
        assertEquals(List.of("bob"), driver.receivers("a.b"));
        assertEquals(1, driver.routing.cachedTopics());

        driver.subscribePattern(carol, "a.*");
        assertEquals(List.of("bob", "carol"), driver.receivers("a.b"));
        driver.subscribePattern(alice, "b.*");
        assertEquals(List.of("bob", "carol"), driver.receivers("a.b"), "a pattern that does not match changes nothing");
        driver.subscribePattern(alice, ">");
        assertEquals(List.of("alice", "bob", "carol"), driver.receivers("a.b"));
        driver.assertConsistent();
    }

    /** A glob and a token pattern side by side: one route, each session once, whichever matched. */
    @Test
    void shouldReachEachSessionOnceThroughGlobsAndTokenPatternsAlike()
    {
        driver.subscribePattern(alice, "a.*");
        driver.subscribeGlob(alice, "a*");
        driver.subscribeGlob(bob, "a*", "a.*");
        driver.subscribePattern(carol, "a.*");
        assertEquals(List.of("alice", "bob", "carol"), driver.receivers("a.b"));
        assertEquals(List.of("alice", "bob"), driver.receivers("ab"), "only the glob matches without a dot");
        assertEquals(List.of("alice", "bob"), driver.receivers("a.b.c"), "a glob's * crosses dots, a token * does not");
        assertEquals(List.of(), driver.receivers("b.a"));
        assertEquals(3, driver.routing.patternCount(), "the token a.* and the glob a.* are two patterns");
        assertEquals(List.of("alice", "bob", "carol"), driver.receivers("a.b"), "the same again from the cache");
        driver.assertConsistent();
    }

    @Test
    void shouldMergeAgainWhenAGlobOrATokenPatternGoes()
    {
        driver.subscribeGlob(bob, "a*");
        assertEquals(List.of("bob"), driver.receivers("a.b"), "cached with the glob alone");
        driver.subscribePattern(alice, "a.*");
        driver.subscribeGlob(alice, "a*");
        assertEquals(List.of("alice", "bob"), driver.receivers("a.b"));

        driver.unsubscribeGlob(bob, "a*");
        assertEquals(List.of("alice"), driver.receivers("a.b"), "the glob keeps alice");
        driver.unsubscribeGlob(alice, "a*");
        assertNull(driver.glob("a*"), "its last subscriber gone, the glob is removed");
        assertEquals(List.of("alice"), driver.receivers("a.b"), "the token pattern still reaches alice");
        driver.assertConsistent();

        driver.subscribeGlob(bob, "a*");
        assertEquals(List.of("alice", "bob"), driver.receivers("a.b"), "a new glob finds the cached topic");
        driver.unsubscribePattern(alice, "a.*");
        assertEquals(List.of("bob"), driver.receivers("a.b"));
        driver.unsubscribeGlob(bob, "a*");
        assertEquals(List.of(), driver.receivers("a.b"));
        driver.assertConsistent();
    }

    /** A new glob walks only below its literal start, and still finds every cached topic it matches. */
    @Test
    void shouldLinkANewGlobToExactlyTheCachedTopicsItMatches()
    {
        driver.subscribePattern(carol, "z.>");
        for (final String topic : List.of("a.b", "a.bc", "a.b.c", "x.a.b", "a", "ab", "b"))
        {
            assertEquals(List.of(), driver.receivers(topic));
        }
        driver.subscribeGlob(alice, "a.b*");
        driver.subscribeGlob(bob, "*b", "a", "[ab]");
        assertEquals(List.of("alice", "bob"), driver.receivers("a.b"));
        assertEquals(List.of("alice"), driver.receivers("a.bc"));
        assertEquals(List.of("alice"), driver.receivers("a.b.c"));
        assertEquals(List.of("bob"), driver.receivers("x.a.b"));
        assertEquals(List.of("bob"), driver.receivers("a"));
        assertEquals(List.of("bob"), driver.receivers("ab"));
        assertEquals(List.of("bob"), driver.receivers("b"));
        assertNotNull(driver.glob("a.b*"));
        assertEquals(3, driver.glob("a.b*").cachedMatches.size());
        driver.assertConsistent();
    }

    @Test
    void shouldDropARemovedPatternFromEveryCachedTopic()
    {
        driver.subscribePattern(carol, "x.>");
        driver.subscribePattern(alice, "a.*");
        driver.subscribe(bob, "a.b");
        assertEquals(List.of("alice", "bob"), driver.receivers("a.b"));
        assertEquals(List.of("alice"), driver.receivers("a.c"));

        driver.unsubscribePattern(alice, "a.*");
        assertNull(driver.pattern("a.*"), "its last subscriber gone, the pattern is removed");
        assertEquals(List.of("bob"), driver.receivers("a.b"));
        assertEquals(List.of(), driver.receivers("a.c"));
        driver.assertConsistent();

        driver.unsubscribePattern(carol, "x.>");
        assertEquals(0, driver.routing.patternCount());
        assertEquals(List.of("bob"), driver.receivers("a.b"), "with no pattern left, the exact subscribers");
        driver.assertConsistent();
    }

    @Test
    void shouldMergeAgainWhenThePatternsOrTheTopicsSubscribersChange()
    {
        driver.subscribePattern(alice, "a.*");
        assertEquals(List.of("alice"), driver.receivers("a.b"));
        driver.subscribePattern(bob, "a.*");
        assertEquals(List.of("alice", "bob"), driver.receivers("a.b"), "a pattern gained a subscriber");
        driver.unsubscribePattern(alice, "a.*");
        assertNotNull(driver.pattern("a.*"));
        assertEquals(List.of("bob"), driver.receivers("a.b"), "a pattern lost a subscriber");

        driver.subscribe(carol, "a.b");
        assertEquals(List.of("bob", "carol"), driver.receivers("a.b"), "the topic gained an exact subscriber");
        driver.subscribe(bob, "a.b");
        assertEquals(List.of("bob", "carol"), driver.receivers("a.b"));
        driver.unsubscribePattern(bob, "a.*");
        assertEquals(List.of("bob", "carol"), driver.receivers("a.b"), "bob still subscribes exactly");
        driver.subscribePattern(alice, "*.b");
        driver.unsubscribe(carol, "a.b");
        assertEquals(List.of("alice", "bob"), driver.receivers("a.b"), "the topic lost an exact subscriber");
        driver.unsubscribe(bob, "a.b");
        assertEquals(List.of("alice"), driver.receivers("a.b"));
        driver.assertConsistent();
    }

    @Test
    void shouldForgetATopicSoThatNoPatternLinksItAgain()
    {
        driver.subscribePattern(alice, "a.*");
        driver.subscribe(bob, "a.b");
        assertEquals(List.of("alice", "bob"), driver.receivers("a.b"));
        final Topic before = driver.topic("a.b");
        driver.forget("a.b");
        assertEquals(0, driver.routing.cachedTopics());
        assertNull(before.route);
        assertTrue(driver.pattern("a.*").cachedMatches.isEmpty());

        driver.subscribePattern(carol, "a.>");
        assertTrue(driver.pattern("a.>").cachedMatches.isEmpty(), "a new pattern must not find the forgotten topic");
        driver.unsubscribePattern(alice, "a.*");
        driver.forget("never-published");
        driver.assertConsistent();

        assertEquals(List.of("carol"), driver.receivers("a.b"), "a new topic of the same name starts afresh");
        assertEquals(1, driver.routing.cachedTopics());
        driver.assertConsistent();
    }

    @Test
    void shouldEvictWithRoomForOneTopicAndStayCorrect()
    {
        driver = new RoutingDriver(1);
        final SessionState dave = driver.session("dave");
        final SessionState erin = driver.session("erin");
        driver.subscribePattern(dave, ">");
        driver.subscribe(dave, "a");
        driver.subscribe(erin, "b");
        assertEquals(List.of("dave"), driver.receivers("a"));
        assertEquals(0, driver.routing.evictions());
        assertEquals(List.of("dave", "erin"), driver.receivers("b"));
        assertEquals(1, driver.routing.evictions());
        assertEquals(1, driver.routing.cachedTopics());
        assertNull(driver.topic("a").route, "a made room for b");

        driver.subscribe(erin, "a"); // changes an evicted topic
        assertEquals(List.of("dave", "erin"), driver.receivers("a"));
        assertEquals(2, driver.routing.evictions());
        driver.unsubscribePattern(dave, ">");
        driver.subscribePattern(erin, "*");
        driver.unsubscribe(erin, "a");
        assertEquals(List.of("dave", "erin"), driver.receivers("a"));
        assertEquals(List.of("erin"), driver.receivers("b"), "dave only had b through >");
        assertEquals(List.of("dave", "erin"), driver.receivers("a"));
        driver.assertConsistent();
    }

    /**
     * More topics than room, each with its own exact subscriber and all under one pattern,
     * published in changing orders while subscriptions change: every publish must still reach
     * exactly the right sessions.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void shouldStayCorrectWhileEvicting(final int capacity)
    {
        driver = new RoutingDriver(capacity);
        final SessionState all = driver.session("all");
        driver.subscribePattern(all, "t.*");
        final List<SessionState> own = new ArrayList<>();
        for (int i = 0; i < 6; i++)
        {
            own.add(driver.session("s" + i));
            driver.subscribe(own.get(i), "t." + i);
        }
        for (int round = 0; round < 6; round++)
        {
            for (int k = 0; k < 6; k++)
            {
                final int i = (k * (round + 1) + round) % 6;
                assertEquals(List.of("all", "s" + i), driver.receivers("t." + i), () -> "t." + i);
                assertTrue(driver.routing.cachedTopics() <= capacity);
            }
            driver.unsubscribePattern(all, "t.*");
            driver.subscribePattern(all, "t.*");
        }
        assertTrue(driver.routing.evictions() > 0);
        driver.assertConsistent();
    }

    /**
     * A forgotten topic frees its place for the next one, and the clock still reaches every
     * other place: topics no longer published all make room in the end.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void shouldReuseAForgottenTopicsPlaceAndStillEvictEveryOtherTopic(final int capacity)
    {
        driver = new RoutingDriver(capacity);
        final SessionState all = driver.session("all");
        driver.subscribePattern(all, ">");
        for (int i = 0; i < capacity; i++)
        {
            assertEquals(List.of("all"), driver.receivers("old." + i));
        }
        driver.forget("old.0");
        assertEquals(capacity - 1, driver.routing.cachedTopics());
        assertEquals(List.of("all"), driver.receivers("new.0"));
        assertEquals(capacity, driver.routing.cachedTopics());
        assertEquals(0, driver.routing.evictions(), "the forgotten topic's place was free");

        for (int i = 1; i <= 4 * capacity; i++)
        {
            assertEquals(List.of("all"), driver.receivers("new." + i));
        }
        for (int i = 1; i < capacity; i++)
        {
            assertNull(driver.topic("old." + i).route, "old." + i + " is never published again, so it must make room");
        }
        assertEquals(capacity, driver.routing.cachedTopics());
        driver.assertConsistent();
    }
}
