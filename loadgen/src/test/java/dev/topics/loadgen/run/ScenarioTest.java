package dev.topics.loadgen.run;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioTest
{
    @Test
    void shouldFanOneMaxRatePublisherOutToTenSubscribers()
    {
        final Scenario scenario = Scenario.parse("fanout-max");
        final Topology topology = topologyOf(scenario);

        assertEquals(Scenario.FANOUT_MAX, scenario);
        assertEquals("fanout-max", scenario.label());
        assertEquals(0, scenario.ratePerSec(), "as fast as accepted");
        assertEquals(64, scenario.payloadBytes());
        assertEquals(1, topology.streams());
        for (int s = 0; s < 10; s++)
        {
            assertArrayEquals(new int[] {0}, topology.topicsOf(s));
            assertTrue(topology.receivesFrom(s, 0));
        }
    }

    @Test
    void shouldFanOutLikeFanoutButToSubscribersOnThePattern()
    {
        final Scenario scenario = Scenario.parse("fanout-pattern");
        final Topology topology = topologyOf(scenario);
        final Topology fanout = topologyOf(Scenario.FANOUT);

        assertEquals(Scenario.FANOUT_PATTERN, scenario);
        assertEquals("fanout-pattern", scenario.label());
        assertTrue(topology.byPattern());
        assertFalse(fanout.byPattern());
        assertEquals(fanout.publishers(), topology.publishers());
        assertEquals(fanout.subscribers(), topology.subscribers());
        assertEquals(fanout.topics(), topology.topics());
        assertEquals(Scenario.FANOUT.ratePerSec(), scenario.ratePerSec());
        assertEquals(Scenario.FANOUT.payloadBytes(), scenario.payloadBytes());
        assertEquals("bench.0", topology.topicName(0), "a name the pattern bench.* matches");
        for (int s = 0; s < topology.subscribers(); s++)
        {
            assertArrayEquals(new String[] {"bench.*"}, topology.subscriptionsOf(s));
            assertTrue(topology.receivesFrom(s, 0));
        }
        assertTrue(scenario.describe().contains("fanout with subscribers on the pattern bench.*"), scenario.describe());
    }

    @Test
    void shouldGiveEachOfAHundredSubscribersOneTopicOfOneOfFourPublishers()
    {
        final Scenario scenario = Scenario.parse("MANY");
        final Topology topology = topologyOf(scenario);

        assertEquals(50_000, scenario.ratePerSec());
        assertEquals(64, scenario.payloadBytes());
        assertEquals(100, topology.subscribers());
        assertEquals(100, topology.streams());
        for (int s = 0; s < 100; s++)
        {
            assertArrayEquals(new int[] {s}, topology.topicsOf(s), "subscriber " + s);
            assertEquals(s % 4, topology.publisherOf(s), "publisher of topic " + s);
        }
        for (int p = 0; p < 4; p++)
        {
            assertEquals(25, topology.streamsOf(p).length);
        }
    }

    @Test
    void shouldDescribeEveryScenarioOnOneLine()
    {
        for (final Scenario scenario : Scenario.values())
        {
            final String line = scenario.describe();

            assertTrue(line.startsWith(scenario.label() + " "), line);
            assertTrue(line.contains("P=" + scenario.topology().publishers() + " S=" + scenario.topology().subscribers()), line);
            assertTrue(2 + line.length() <= 120, "fits the 120-column help, indented by 2: " + line);
        }
    }

    @Test
    void shouldNameTheKnownScenariosWhenOneIsUnknown()
    {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.parse("bogus"));

        assertTrue(e.getMessage().contains("fanout-max") && e.getMessage().contains("many"), e.getMessage());
    }

    private static Topology topologyOf(final Scenario scenario)
    {
        return scenario.topology();
    }
}
