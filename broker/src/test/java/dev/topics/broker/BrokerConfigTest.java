package dev.topics.broker;

import dev.topics.transport.SecurityConfig;
import dev.topics.transport.Transport;
import dev.topics.transport.TransportConfig;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Building a configuration: its defaults, its checks, and what it derives. */
class BrokerConfigTest
{
    @Test
    void shouldStartFromTheDefaults()
    {
        final BrokerConfig config = BrokerConfig.builder().build();

        assertEquals(new InetSocketAddress("0.0.0.0", 8889), config.bind());
        assertEquals(1, config.ioThreads());
        assertEquals(16 * 1024, config.inboundRingSize());
        assertEquals(64 * 1024, config.outboundRingSize());
        assertEquals(WaitStrategies.BLOCKING, config.waitStrategy());
        assertEquals(EnginePlacement.AUTO, config.enginePlacement());
        assertEquals(1024 * 1024, config.maxLineBytes());
        assertEquals(256, config.maxTopicBytes());
        assertEquals(Transport.AUTO, config.transport());
        assertEquals(5_000, config.shutdownTimeoutMs());
        assertEquals(8 * 1024 * 1024, config.maxPendingBytes());
        assertEquals(10_000, config.maxConnections());
        assertEquals(10_000, config.maxSubscriptions());
        assertEquals(1_000_000, config.maxTopics());
        assertSame(SecurityConfig.NONE, config.security());
    }

    @Test
    void shouldKeepWhatIsSetFluently()
    {
        final InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        final SecurityConfig security = SecurityConfig.NONE.withAuthToken("secret");
        final BrokerConfig config = BrokerConfig.builder()
            .bind(loopback)
            .ioThreads(2)
            .inboundRingSize(64)
            .outboundRingSize(128)
            .waitStrategy(WaitStrategies.PHASED)
            .enginePlacement(EnginePlacement.DEDICATED)
            .maxLineBytes(100)
            .maxTopicBytes(10)
            .transport(Transport.NIO)
            .shutdownTimeoutMs(0)
            .maxPendingBytes(Integer.MAX_VALUE)
            .maxConnections(3)
            .maxSubscriptions(4)
            .maxTopics(5)
            .security(security)
            .build();

        assertEquals(loopback, config.bind());
        assertEquals(2, config.ioThreads());
        assertEquals(64, config.inboundRingSize());
        assertEquals(128, config.outboundRingSize());
        assertEquals(WaitStrategies.PHASED, config.waitStrategy());
        assertEquals(EnginePlacement.DEDICATED, config.enginePlacement());
        assertEquals(Transport.NIO, config.transport());
        assertEquals(0, config.shutdownTimeoutMs());
        assertEquals(Integer.MAX_VALUE, config.maxPendingBytes());
        assertEquals(new TransportConfig(loopback, 100, 10, Integer.MAX_VALUE, 3, security), config.transportConfig());
        assertEquals(4, config.maxSubscriptions());
        assertEquals(5, config.maxTopics());
    }

    @Test
    void shouldRefuseARingSizeThatIsNotAPowerOfTwo()
    {
        assertRefused("inbound ring size must be a power of two, not 1000", BrokerConfig.builder().inboundRingSize(1000));
        assertRefused("outbound ring size must be a power of two, not 1", BrokerConfig.builder().outboundRingSize(1));
    }

    @Test
    void shouldRefuseTheEngineOnTheEventLoopWithMoreThanOneIoThread()
    {
        assertRefused("engine thread io needs exactly 1 io thread, not 2",
            BrokerConfig.builder().enginePlacement(EnginePlacement.IO).ioThreads(2));
        assertEquals(EnginePlacement.IO,
            BrokerConfig.builder().enginePlacement(EnginePlacement.IO).ioThreads(1).build().enginePlacement());
    }

    @Test
    void shouldRefuseAPendingLimitTooSmallForTheWaterMarks()
    {
        // Above 2 GiB does not fit the int: Main's option refuses it (see MainOptionsTest).
        assertRefused("max pending must be 2 bytes to 2 GiB, not 1", BrokerConfig.builder().maxPendingBytes(1));
    }

    @Test
    void shouldRefuseOtherValuesThatCannotWork()
    {
        assertRefused("io threads must be at least 1, not 0", BrokerConfig.builder().ioThreads(0));
        assertRefused("max line must be at least 1, not 0", BrokerConfig.builder().maxLineBytes(0));
        assertRefused("max topic length must be at least 1, not -1", BrokerConfig.builder().maxTopicBytes(-1));
        assertRefused("shutdown timeout must not be negative, not -5", BrokerConfig.builder().shutdownTimeoutMs(-5));
        assertRefused("connection, subscription and topic limits must be at least 1", BrokerConfig.builder().maxTopics(0));
        assertRefused("transport must be given", BrokerConfig.builder().transport(null));
        assertRefused("security must be given; SecurityConfig.NONE turns it all off", BrokerConfig.builder().security(null));
    }

    @Test
    void shouldResolveAutoPlacementByIoThreadsAndCores()
    {
        assertEquals(EnginePlacement.IO, EnginePlacement.AUTO.resolve(1, 1));
        assertEquals(EnginePlacement.IO, EnginePlacement.AUTO.resolve(1, 2));
        assertEquals(EnginePlacement.DEDICATED, EnginePlacement.AUTO.resolve(1, 3));
        assertEquals(EnginePlacement.DEDICATED, EnginePlacement.AUTO.resolve(2, 2));
        assertEquals(EnginePlacement.DEDICATED, EnginePlacement.DEDICATED.resolve(1, 2));
        assertEquals(EnginePlacement.IO, EnginePlacement.IO.resolve(1, 8));
    }

    @Test
    void shouldResolveThePlacementOfAConfigOnThisMachine()
    {
        final boolean smallMachine = Runtime.getRuntime().availableProcessors() <= 2;
        assertEquals(smallMachine ? EnginePlacement.IO : EnginePlacement.DEDICATED,
            BrokerConfig.builder().build().resolvedEnginePlacement());
        assertEquals(EnginePlacement.DEDICATED, BrokerConfig.builder().ioThreads(2).build().resolvedEnginePlacement());
        assertEquals(EnginePlacement.DEDICATED,
            BrokerConfig.builder().enginePlacement(EnginePlacement.DEDICATED).build().resolvedEnginePlacement());
        assertEquals(EnginePlacement.IO,
            BrokerConfig.builder().enginePlacement(EnginePlacement.IO).build().resolvedEnginePlacement());
    }

    @Test
    void shouldNeverShowTheAuthTokenWhenPrinted()
    {
        final String text = BrokerConfig.builder().security(SecurityConfig.NONE.withAuthToken("hunter2")).build().toString();

        assertTrue(text.contains("auth=on"), text);
        assertTrue(!text.contains("hunter2"), text);
    }

    @Test
    void shouldHoldTheDefaultBudgetOrAllASmallJvmCanHold()
    {
        final long mib = 1024 * 1024;
        assertEquals(256 * mib, BrokerConfig.builder().jvm(new JvmMemory(512 * mib, 494 * mib)).build().maxMemoryBytes(),
            "bin/jvm-options: 512m direct, 512m heap");
        assertEquals(224 * mib, BrokerConfig.builder().jvm(new JvmMemory(256 * mib, 247 * mib)).build().maxMemoryBytes(),
            "a JVM's defaults with -Xmx256m: 7/8 of the direct limit");
        assertEquals(120 * mib, BrokerConfig.builder().jvm(new JvmMemory(1024 * mib, 120 * mib + 5)).build().maxMemoryBytes(),
            "the heap limit, in whole MiB");
        assertEquals(64 * mib, BrokerConfig.builder().jvm(new JvmMemory(1024 * mib, 1024 * mib)).maxMemoryBytes(64 * mib)
            .build().maxMemoryBytes());
    }

    @Test
    void shouldRefuseABudgetTheJvmCannotHold()
    {
        final long mib = 1024 * 1024;
        final JvmMemory jvm = new JvmMemory(512 * mib, 494 * mib);
        assertRefused("max memory 1g must be at most 7/8 of the JVM's direct-memory limit of 512m: lower --max-memory or "
            + "raise -XX:MaxDirectMemorySize", BrokerConfig.builder().jvm(jvm).maxMemoryBytes(1024 * mib));
        assertRefused("max memory 496m must be at most the JVM's heap limit of 494m (latest values live on the heap): "
            + "lower --max-memory or raise -Xmx", BrokerConfig.builder().jvm(new JvmMemory(1024 * mib, 494 * mib))
            .maxMemoryBytes(496 * mib));
        assertRefused("max memory must be at least 32m, not 16m", BrokerConfig.builder().jvm(jvm).maxMemoryBytes(16 * mib));
        assertRefused("max memory must be at least 32m, not 24m (all this JVM can hold: raise -Xmx and "
            + "-XX:MaxDirectMemorySize)", BrokerConfig.builder().jvm(new JvmMemory(1024 * mib, 24 * mib)));
    }

    private static void assertRefused(final String message, final BrokerConfig.Builder builder)
    {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, builder::build);
        assertEquals(message, refused.getMessage());
    }
}
