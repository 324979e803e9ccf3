package dev.topics.benchmarks;

import dev.topics.broker.BrokerConfig;
import dev.topics.transport.Session;
import dev.topics.transport.codec.TopicMatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * What pattern subscriptions cost the engine, in ns per operation, driven through
 * {@link dev.topics.broker.engine.Engine#onEvent} on an {@link EngineRig} (a real outbound ring the
 * benchmark drains itself, as {@link EnginePublishBenchmark} does):
 * <ul>
 * <li>{@link #publish}: one {@code PUB} to {@value #TOPIC}, which has one exact subscriber, with
 *     {@code patterns} patterns in the engine, one subscriber session each. The first of them
 *     match the topic ({@code bench.0.*}, then {@code bench.*.temp} and {@code bench.>}); the
 *     rest do not, spread so that the match walk meets real siblings: {@code bench.N.*} (beside
 *     {@code bench.0}), {@code bench.*.tN} (beside {@code temp}), {@code *.N.temp} (a wildcard
 *     branch at the root), {@code other.N.*} and {@code x.N.>}. Deliveries per op: 1 with no
 *     pattern, 2 with one, 4 with more. The topic's route is cached before measuring, so this is
 *     the steady state the route cache is for: it should not grow with the pattern count.</li>
 * <li>{@link #publishExactOnly}: the same publish with 1, 2 or 4 exact subscribers and no
 *     pattern, the baseline that {@link #publish} is compared with at equal deliveries.</li>
 * <li>{@link #publishRoundRobin}: one {@code PUB} each to {@code topics} topics {@code bench.rI.temp}
 *     in turn, each with one exact subscriber (one session for all); of the patterns above,
 *     {@code bench.*.temp} and {@code bench.>} match every one (3 deliveries per op with patterns,
 *     1 without). With a route cache smaller than the topics every publish misses: admission, the
 *     match walk, the merge and an eviction. With a cache that holds them all, every publish hits;
 *     with no pattern nothing is cached at all, whatever the cache size.</li>
 * <li>{@link #subscribeUnsubscribe}: one session's {@code SUB} then {@code UNSUB} of a name no one
 *     else uses (the k-th of {@code topics} in turn), both answered into the ring, with
 *     {@code topics} topics cached (each published once before measuring) and {@code patterns}
 *     patterns as above. {@code EXACT}: the cached topic {@code bench.rK.temp} itself (its route
 *     is marked stale twice). {@code PATTERN}: {@code bench.rK.*}, created, linked to its one
 *     cached topic, removed. {@code PATTERN_WIDE}: {@code bench.*.uK}, which matches nothing, but
 *     whose {@code *} makes the link walk visit every cached {@code bench.X} node.</li>
 * </ul>
 *
 * <p>The JMH run settings are {@link HotPathBenchmark}'s, except the mode: average time in ns.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PatternRoutingBenchmark extends HotPathBenchmark
{
    /** The topic {@link #publish} publishes to. */
    static final String TOPIC = "bench.0.temp";
    /** The patterns that match {@link #TOPIC}, taken first. */
    private static final String[] MATCHING = {"bench.0.*", "bench.*.temp", "bench.>"};
    private static final String PAYLOAD = " 0123456789abcdef";

    /** Steady-state publish to one cached topic. */
    @Benchmark
    public void publish(final OneTopic state)
    {
        state.rig.publishAgain();
    }

    /** The baseline for {@link #publish}: the same deliveries, all by exact subscription, no pattern. */
    @Benchmark
    public void publishExactOnly(final ExactOnly state)
    {
        state.rig.publishAgain();
    }

    /** Publish to the next of many topics. */
    @Benchmark
    public void publishRoundRobin(final ManyTopics state)
    {
        state.rig.publish(state.names.next());
    }

    /** One SUB and one UNSUB of a name nobody else subscribes to. */
    @Benchmark
    public void subscribeUnsubscribe(final Churn state)
    {
        final byte[] name = state.names.next();
        final TopicMatch match = state.target.match;
        state.rig.subscribe(state.session, match, name);
        state.rig.unsubscribe(state.session, match, name);
    }

    /** The {@code i}-th pattern of a benchmark with patterns: the matching ones first, then the rest. */
    static String pattern(final int i)
    {
        if (i < MATCHING.length)
        {
            return MATCHING[i];
        }
        return switch (i % 5)
        {
            case 0 -> "bench." + i + ".*";
            case 1 -> "bench.*.t" + i;
            case 2 -> "other." + i + ".*";
            case 3 -> "x." + i + ".>";
            default -> "*." + i + ".temp";
        };
    }

    /** Subscribes a new session to each of the first {@code count} patterns. */
    static void subscribePatterns(final EngineRig rig, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            rig.subscribe(rig.connect(), TopicMatch.TOKEN_PATTERN, EngineRig.ascii(pattern(i)));
        }
    }

    /** Round-robin topic names. */
    static String roundRobinTopic(final int i)
    {
        return "bench.r" + i + ".temp";
    }

    /** Names taken in turn, wrapping around. */
    static final class Names
    {
        private final byte[][] names;
        private int next;

        Names(final int count, final IntFunction<String> name)
        {
            names = new byte[count][];
            for (int i = 0; i < count; i++)
            {
                names[i] = EngineRig.ascii(name.apply(i));
            }
        }

        byte[] next()
        {
            final byte[] name = names[next];
            next = next + 1 == names.length ? 0 : next + 1;
            return name;
        }

        int size()
        {
            return names.length;
        }
    }

    /** {@link #publish}: one topic, its route cached. */
    @State(Scope.Thread)
    public static class OneTopic
    {
        @Param({"0", "1", "1000", "100000"})
        public int patterns;

        EngineRig rig;

        @Setup(Level.Trial)
        public void setUp()
        {
            rig = new EngineRig(BrokerConfig.ROUTE_CACHE_TOPICS_DEFAULT, "PUB " + TOPIC + PAYLOAD);
            subscribePatterns(rig, patterns);
            final byte[] topic = EngineRig.ascii(TOPIC);
            rig.subscribe(rig.connect(), TopicMatch.EXACT, topic);
            rig.publish(topic); // admits the topic and merges its receivers: every measured publish hits
            rig.drain();
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            rig.close();
        }
    }

    /** {@link #publishExactOnly}: one topic with {@code subscribers} exact subscribers and no pattern. */
    @State(Scope.Thread)
    public static class ExactOnly
    {
        /** As many deliveries as {@link #publish} makes with 0, 1 and more patterns. */
        @Param({"1", "2", "4"})
        public int subscribers;

        EngineRig rig;

        @Setup(Level.Trial)
        public void setUp()
        {
            rig = new EngineRig(BrokerConfig.ROUTE_CACHE_TOPICS_DEFAULT, "PUB " + TOPIC + PAYLOAD);
            final byte[] topic = EngineRig.ascii(TOPIC);
            for (int i = 0; i < subscribers; i++)
            {
                rig.subscribe(rig.connect(), TopicMatch.EXACT, topic);
            }
            rig.publish(topic);
            rig.drain();
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            rig.close();
        }
    }

    /** {@link #publishRoundRobin}: many topics, a route cache of some size. */
    @State(Scope.Thread)
    public static class ManyTopics
    {
        @Param({"100000"})
        public int topics;

        @Param({"1024", "131072"})
        public int routeCacheTopics;

        @Param({"0", "1000"})
        public int patterns;

        EngineRig rig;
        Names names;

        @Setup(Level.Trial)
        public void setUp()
        {
            rig = new EngineRig(routeCacheTopics, "PUB " + roundRobinTopic(0) + PAYLOAD);
            names = new Names(topics, PatternRoutingBenchmark::roundRobinTopic);
            subscribePatterns(rig, patterns);
            final Session subscriber = rig.connect();
            for (int i = 0; i < names.size(); i++)
            {
                rig.subscribe(subscriber, TopicMatch.EXACT, names.next());
            }
            // One lap: every topic exists with its latest value, and the cache is as full as it gets.
            for (int i = 0; i < names.size(); i++)
            {
                rig.publish(names.next());
            }
            rig.drain();
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            rig.close();
        }
    }

    /** {@link #subscribeUnsubscribe}: cached topics, patterns, one churning session. */
    @State(Scope.Thread)
    public static class Churn
    {
        /** What the churning session subscribes to. */
        public enum Target
        {
            /** The cached topic {@code bench.rK.temp}. */
            EXACT(TopicMatch.EXACT, PatternRoutingBenchmark::roundRobinTopic),
            /** {@code bench.rK.*}: a new pattern matching one cached topic. */
            PATTERN(TopicMatch.TOKEN_PATTERN, k -> "bench.r" + k + ".*"),
            /** {@code bench.*.uK}: a new pattern matching nothing, whose link walk visits every cached {@code bench.X}. */
            PATTERN_WIDE(TopicMatch.TOKEN_PATTERN, k -> "bench.*.u" + k);

            final TopicMatch match;
            private final IntFunction<String> name;

            Target(final TopicMatch match, final IntFunction<String> name)
            {
                this.match = match;
                this.name = name;
            }
        }

        @Param
        public Target target;

        @Param({"10000"})
        public int topics;

        @Param({"1000"})
        public int patterns;

        EngineRig rig;
        Names names;
        Session session;

        @Setup(Level.Trial)
        public void setUp()
        {
            rig = new EngineRig(BrokerConfig.ROUTE_CACHE_TOPICS_DEFAULT, "PUB " + roundRobinTopic(0) + PAYLOAD);
            subscribePatterns(rig, patterns);
            final Names cached = new Names(topics, PatternRoutingBenchmark::roundRobinTopic);
            for (int i = 0; i < cached.size(); i++)
            {
                rig.publish(cached.next());
            }
            rig.drain();
            names = new Names(topics, target.name);
            session = rig.connect();
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            rig.close();
        }
    }
}
