package dev.topics.loadgen.report;

import dev.topics.loadgen.run.RunResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultTableTest
{
    @Test
    void shouldReportKnownPercentilesOfKnownLatencies()
    {
        final RunResult run = Results.withLatenciesUs("topics", LongStream.rangeClosed(1, 10_000).toArray());

        // 3 significant digits: HdrHistogram reports the top of the bucket, within 0.1%.
        assertEquals(5_000, run.percentileUs(50), 5);
        assertEquals(9_000, run.percentileUs(90), 9);
        assertEquals(9_900, run.percentileUs(99), 10);
        assertEquals(9_990, run.percentileUs(99.9), 10);
        assertEquals(10_000, run.maxUs(), 10);
    }

    @Test
    void shouldDivideTopicsByTheBestPeerOfEachFigure()
    {
        final RunResult topics = Results.withLatenciesUs("topics", 100, 100, 100, 100);
        final RunResult redis = Results.withLatenciesUs("redis", 400, 400, 400, 400);
        final RunResult nats = Results.withLatenciesUs("nats", 200, 200, 200, 200);

        final String p50 = ResultTable.ratio(topics, List.of(redis, nats), r -> r.percentileUs(50), false);
        final String throughput = ResultTable.ratio(topics, List.of(redis, nats), RunResult::deliveredPerSec, true);

        assertEquals("0.50x", p50);
        assertEquals("1.00x", throughput);
    }

    @Test
    void shouldPrintOneRowPerRunAndARatioRowPerScenario()
    {
        final RunResult topics = Results.withLatenciesUs("topics", 100, 200);
        final RunResult redis = Results.withLatenciesUs("redis", 100, 200);

        final String table = new ResultTable(1000).render(List.of(topics, redis));

        final String[] lines = table.split("\n");
        assertEquals(4, lines.length, table);
        assertTrue(lines[0].startsWith("scenario"));
        assertTrue(lines[1].contains("topics") && lines[1].endsWith("ok"), lines[1]);
        assertTrue(lines[3].contains("topics/best") && lines[3].contains("1.00x"), lines[3]);
    }

    @Test
    void shouldCompareEveryTopicsVariantWithTheBestPeer()
    {
        final RunResult io = Results.withLatenciesUs("topics-io", 100, 100);
        final RunResult dedicated = Results.withLatenciesUs("topics-dedicated", 300, 300);
        final RunResult redis = Results.withLatenciesUs("redis", 400, 400);
        final RunResult nats = Results.withLatenciesUs("nats", 200, 200);

        final String table = new ResultTable(1000).render(List.of(io, dedicated, redis, nats));

        final String[] lines = table.split("\n");
        assertEquals(1 + 4 + 2, lines.length, table);
        assertTrue(lines[2].contains(" topics-dedicated "), lines[2]);
        final String[] ioRatios = lines[5].trim().split("\\s+");
        final String[] dedicatedRatios = lines[6].trim().split("\\s+");
        assertEquals(List.of("single", "topics-io/best", "0.50x"), List.of(ioRatios).subList(0, 3), lines[5]);
        assertEquals(List.of("single", "topics-dedicated/best", "1.50x"), List.of(dedicatedRatios).subList(0, 3),
            lines[6]);
        assertTrue(lines[6].endsWith("topics-dedicated / best peer (<1 is better for latency and cost, >1 for msgs/s)"),
            lines[6]);
        final int p50End = lines[0].indexOf("p50us") + "p50us".length();
        assertEquals(p50End, lines[5].indexOf("0.50x") + "0.50x".length(), "columns stay aligned:\n" + table);
        assertEquals(p50End, lines[2].indexOf("300.0") + "300.0".length(), "columns stay aligned:\n" + table);
    }

    @Test
    void shouldCompareTopicsRespWithRedisAloneAndTopicsWithTheBestPeer()
    {
        final RunResult topics = Results.withLatenciesUs("topics", 100, 100);
        final RunResult resp = Results.withLatenciesUs("topics-resp", 300, 300);
        final RunResult redis = Results.withLatenciesUs("redis", 600, 600);
        final RunResult nats = Results.withLatenciesUs("nats", 200, 200);

        final String table = new ResultTable(1000).render(List.of(topics, resp, redis, nats));

        final String[] lines = table.split("\n");
        assertEquals(1 + 4 + 2, lines.length, table);
        final String[] topicsRatios = lines[5].trim().split("\\s+");
        final String[] respRatios = lines[6].trim().split("\\s+");
        assertEquals(List.of("single", "topics/best", "0.50x"), List.of(topicsRatios).subList(0, 3), lines[5]);
        // 300 / 600 (redis), not 300 / 200 (nats, the best peer but another client protocol).
        assertEquals(List.of("single", "topics-resp/redis", "0.50x"), List.of(respRatios).subList(0, 3), lines[6]);
        assertTrue(lines[6].endsWith("topics-resp / redis, same client protocol (<1 is better for latency and cost, "
            + ">1 for msgs/s)"), lines[6]);
        final int p50End = lines[0].indexOf("p50us") + "p50us".length();
        assertEquals(p50End, lines[6].indexOf("0.50x") + "0.50x".length(), "columns stay aligned:\n" + table);
    }

    @Test
    void shouldCompareTopicsRespWithTheBestPeerWhenNoPeerSpeaksRedis()
    {
        final String table = new ResultTable(1000).render(List.of(Results.withLatenciesUs("topics-resp", 100),
            Results.withLatenciesUs("nats", 200)));

        assertTrue(table.contains("topics-resp/best"), table);
    }

    @Test
    void shouldCompareATargetAcrossNodesWithPeersAcrossNodesAndOneNodeWithOneNode()
    {
        final RunResult topicsCluster = Results.withLatenciesUs("topics-cluster=:1/:2+:3", 300, 300);
        final RunResult topics = Results.withLatenciesUs("topics=:4", 100, 100);
        final RunResult natsCluster = Results.withLatenciesUs("nats-cluster=:5/:6+:7", 600, 600);
        final RunResult nats = Results.withLatenciesUs("nats=:8", 200, 200);

        final String table = new ResultTable(1000).render(List.of(topicsCluster, topics, natsCluster, nats));

        final String[] lines = table.split("\n");
        assertEquals(1 + 4 + 2, lines.length, table);
        // 300 / 600 (the NATS cluster), not 300 / 200 (one nats-server, the best peer of all).
        assertEquals(List.of("single", "topics-cluster/best", "0.50x"),
            List.of(lines[5].trim().split("\\s+")).subList(0, 3), lines[5]);
        assertTrue(lines[5].endsWith("topics-cluster / best peer across nodes (<1 is better for latency and cost, "
            + ">1 for msgs/s)"), lines[5]);
        assertEquals(List.of("single", "topics/best", "0.50x"), List.of(lines[6].trim().split("\\s+")).subList(0, 3),
            lines[6]);
        assertTrue(lines[6].contains("topics / best peer ("), lines[6]);
    }

    @Test
    void shouldCompareATargetAcrossNodesWithEveryPeerWhenNoneIsAcrossNodes()
    {
        final String table = new ResultTable(1000).render(List.of(
            Results.withLatenciesUs("topics-cluster=:1/:2", 100), Results.withLatenciesUs("nats", 200)));

        assertTrue(table.contains("topics-cluster / best peer ("), table);
    }

    @Test
    void shouldPrintNoRatioRowWithoutAPeer()
    {
        final String table = new ResultTable(1000).render(List.of(Results.withLatenciesUs("topics-io", 100),
            Results.withLatenciesUs("topics-dedicated", 100)));

        assertEquals(3, table.split("\n").length, table);
        assertFalse(table.contains("/best"), table);
    }

    @Test
    void shouldFindTheKneeOfASweep()
    {
        final RunResult low = Results.withLatenciesUs("sweep", "nats", 100);
        final RunResult high = Results.withLatenciesUs("sweep", "nats", 5_000);

        final String table = new ResultTable(1000).render(List.of(low, high));

        assertTrue(table.contains("sweep knee nats    p99 <= 1000 us up to 1000 msgs/s"), table);
    }

    @Test
    void shouldWriteValidLookingJson()
    {
        final String json = JsonSummary.render(Results.withLatenciesUs("redis", 100, 200));

        assertTrue(json.contains("\"target\": \"redis\""), json);
        assertTrue(json.contains("\"lost\": 0"), json);
        assertTrue(json.contains("\"passed\": true"), json);
        assertEquals("\"a\\\"b\\n\"", JsonSummary.quote("a\"b\n"));
    }
}
