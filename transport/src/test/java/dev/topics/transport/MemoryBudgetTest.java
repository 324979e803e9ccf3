package dev.topics.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The budget's thresholds and what a sample publishes, on the test thread. */
class MemoryBudgetTest
{
    private static final long MIB = 1024 * 1024;
    private final MemoryBudget budget = new MemoryBudget(64 * MIB);

    @Test
    void shouldKeepASixteenthInReserveAndRefusePublishesOnceHalfOfItIsGone()
    {
        assertEquals(4 * MIB, budget.reserveBytes());
        assertEquals(60 * MIB, budget.refuseAtBytes());
        assertEquals(62 * MIB, budget.refusePublishAtBytes());
    }

    @Test
    void shouldRefusePublishesFromTheSampleThatReachesTheThreshold()
    {
        budget.storedLatest(50 * MIB);

        assertEquals(61 * MIB, budget.sample(11 * MIB));
        assertFalse(budget.refusesPublish(), "stored values up to the threshold leave PUBs that replace them alone");

        assertEquals(62 * MIB, budget.sample(12 * MIB));
        assertTrue(budget.refusesPublish());
        assertEquals(62 * MIB, budget.usedBytes());

        budget.sample(MIB);
        assertFalse(budget.refusesPublish(), "refusing stops with the first sample under the threshold");
    }

    @Test
    void shouldAdmitLatestValuesUpToTheReserveGivenTheSampledDirectMemory()
    {
        budget.sample(10 * MIB);

        assertTrue(budget.admitsLatest(50 * MIB));
        assertFalse(budget.admitsLatest(50 * MIB + 1));
    }

    @Test
    void shouldCountRefusalsCutsAndEvictions()
    {
        budget.refused();
        budget.refused();
        budget.cut();
        budget.evicted(3);

        assertEquals(2, budget.refusals());
        assertEquals(1, budget.cuts());
        assertEquals(3, budget.evictions());
    }

    @Test
    void shouldNeverBeReachedWhenUnlimited()
    {
        final MemoryBudget unlimited = MemoryBudget.unlimited();
        unlimited.sample(Long.MAX_VALUE / 2);

        assertFalse(unlimited.refusesPublish());
        assertTrue(unlimited.admitsLatest(Long.MAX_VALUE / 4));
    }
}
