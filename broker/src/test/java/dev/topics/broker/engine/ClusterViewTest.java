package dev.topics.broker.engine;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rendezvous homes: the same on every node, spread, and moving only what a departed member homed. */
class ClusterViewTest
{
    private static final long ALL = 1L << 1 | 1L << 2 | 1L << 3;

    private static TopicName name(final int i)
    {
        return PatternReference.name("topic." + i);
    }

    @Test
    void everyNodeComputesTheSameHomeAndBackup()
    {
        final ClusterView one = new ClusterView(1);
        final ClusterView three = new ClusterView(3);
        one.setLive(ALL);
        three.setLive(ALL);
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(one.home(name(i)), three.home(name(i)));
            assertEquals(one.backup(name(i)), three.backup(name(i)));
            assertNotEquals(one.home(name(i)), one.backup(name(i)), "the next home is another member");
        }
    }

    @Test
    void homesSpreadOverTheMembers()
    {
        final Map<Integer, Integer> homed = new HashMap<>();
        for (int i = 0; i < 3000; i++)
        {
            homed.merge(ClusterView.homeAmong(name(i), ALL), 1, Integer::sum);
        }
        assertEquals(3, homed.size(), homed.toString());
        homed.values().forEach(count -> assertTrue(count > 800 && count < 1200, homed.toString()));
    }

    @Test
    void aDepartedMembersTopicsMoveToTheirBackupAndNoOtherTopicMoves()
    {
        final long withoutTwo = ALL & ~(1L << 2);
        for (int i = 0; i < 3000; i++)
        {
            final int home = ClusterView.homeAmong(name(i), ALL);
            final int after = ClusterView.homeAmong(name(i), withoutTwo);
            if (home == 2)
            {
                assertEquals(ClusterView.backupAmong(name(i), ALL), after, "moves to the member that kept its copy");
            }
            else
            {
                assertEquals(home, after, "a topic not homed on the departed member stays");
            }
        }
    }

    @Test
    void aNodeAloneHomesEverythingAndHasNoBackup()
    {
        final ClusterView alone = new ClusterView(2);
        assertEquals(2, alone.home(name(7)));
        assertEquals(ClusterView.NONE, alone.backup(name(7)));
        alone.setLive(0);
        assertTrue(alone.isLive(2), "a node is always up to itself");
        final int version = alone.version();
        alone.setLive(ALL);
        assertNotEquals(version, alone.version());
    }
}
