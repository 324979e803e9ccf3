package dev.topics.broker;

import dev.topics.transport.Transport;
import dev.topics.broker.engine.Retention;
import dev.topics.broker.engine.WhenFull;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Main's options read into a BrokerConfig, without starting a process or a broker. */
class MainOptionsTest
{
    private static BrokerConfig parse(final String... args)
    {
        final Main main = new Main();
        Main.commandLine(main).parseArgs(args);
        return main.config();
    }

    @Test
    void shouldGiveTheConfigDefaultsWhenNoOptionIsGiven()
    {
        final BrokerConfig parsed = parse();
        final BrokerConfig defaults = BrokerConfig.builder().build();

        assertEquals(defaults.bind(), parsed.bind());
        assertEquals(defaults.ioThreads(), parsed.ioThreads());
        assertEquals(defaults.inboundRingSize(), parsed.inboundRingSize());
        assertEquals(defaults.outboundRingSize(), parsed.outboundRingSize());
        assertEquals(defaults.waitStrategy(), parsed.waitStrategy());
        assertEquals(defaults.enginePlacement(), parsed.enginePlacement());
        assertEquals(defaults.maxLineBytes(), parsed.maxLineBytes());
        assertEquals(defaults.maxTopicBytes(), parsed.maxTopicBytes());
        assertEquals(defaults.transport(), parsed.transport());
        assertEquals(defaults.shutdownTimeoutMs(), parsed.shutdownTimeoutMs());
        assertEquals(defaults.maxPendingBytes(), parsed.maxPendingBytes());
        assertEquals(defaults.maxConnections(), parsed.maxConnections());
        assertEquals(defaults.maxSubscriptions(), parsed.maxSubscriptions());
        assertEquals(defaults.maxTopics(), parsed.maxTopics());
        assertEquals(defaults.security().idleTimeout(), parsed.security().idleTimeout());
        assertEquals(defaults.security().tlsEnabled(), parsed.security().tlsEnabled());
        assertEquals(BrokerConfig.METRICS_PORT_OFF, parsed.metricsPort(), "no metrics endpoint unless asked for");
    }

    @Test
    void shouldReadTheClusterOptionsAndNeedBothMembersAndNodeId()
    {
        assertEquals(null, parse().cluster(), "no cluster unless asked for");
        final dev.topics.broker.cluster.ClusterConfig cluster = parse("--cluster-members", "1@127.0.0.1:9101, 2@[::1]:9102,3@localhost:9103",
            "--node-id", "2", "--cluster-timeout", "700", "--cluster-term-length", "64k", "--cluster-link-buffer", "1m",
            "--cluster-max-park", "250").cluster();
        assertEquals(3, cluster.members().size());
        assertEquals(2, cluster.nodeId());
        assertEquals("[0:0:0:0:0:0:0:1]:9102", cluster.self().endpointText(), "IPv6 in brackets, as Aeron takes it");
        assertEquals(700, cluster.timeoutMs());
        assertEquals(64 * 1024, cluster.termLength());
        assertEquals(8 * 1024, cluster.maxMessageLength(), "an eighth of the term");
        assertEquals(1024 * 1024, cluster.linkBufferBytes());
        assertEquals(250, cluster.maxParkMicros());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--cluster-members", "1@127.0.0.1:1,2@127.0.0.1:2")).getMessage()
            .contains("needs --node-id"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--node-id", "1")).getMessage()
            .contains("needs --cluster-members"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--cluster-members", "1@127.0.0.1:1,2@127.0.0.1:2", "--node-id", "3"))
            .getMessage().contains("not one of"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--cluster-members", "1@127.0.0.1:1,1@127.0.0.1:2", "--node-id", "1"))
            .getMessage().contains("twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--cluster-members", "1@127.0.0.1:1", "--node-id", "1"))
            .getMessage().contains("at least two"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--cluster-members", "64@127.0.0.1:1,2@127.0.0.1:2", "--node-id", "2"))
            .getMessage().contains("1 to 63"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--cluster-members", "127.0.0.1:1,2@127.0.0.1:2", "--node-id", "2"))
            .getMessage().contains("ID@HOST:PORT"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--cluster-members", "1@127.0.0.1:1,2@127.0.0.1:2", "--node-id", "2",
            "--cluster-term-length", "100k")).getMessage().contains("power of two"));
    }

    @Test
    void shouldReadTheMetricsPortAndRefuseOneOutOfRange()
    {
        assertEquals(9100, parse("--metrics-port", "9100").metricsPort());
        assertEquals(0, parse("--metrics-port=0").metricsPort());
        final IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> parse("--metrics-port", "70000"));
        assertTrue(wrong.getMessage().contains("metrics port"), wrong.getMessage());
    }

    @Test
    void shouldReadEveryOptionIntoTheConfig()
    {
        final BrokerConfig config = parse("127.0.0.1:9999",
            "--io-threads", "1",
            "--inbound-ring-size", "1024",
            "--outbound-ring-size=2048",
            "--wait-strategy", "phased",
            "--engine-thread", "io",
            "--max-line", "4096",
            "--max-topic-length", "64",
            "--transport", "nio",
            "--shutdown-timeout", "250",
            "--max-pending", "65536",
            "--max-connections", "7",
            "--max-subscriptions", "8",
            "--max-topics", "9",
            "--auth-token", "secret",
            "--tls-cert", "cert.pem",
            "--tls-key", "key.pem",
            "--idle-timeout", "30");

        assertEquals(new InetSocketAddress("127.0.0.1", 9999), config.bind());
        assertEquals(1, config.ioThreads());
        assertEquals(1024, config.inboundRingSize());
        assertEquals(2048, config.outboundRingSize());
        assertEquals(WaitStrategies.PHASED, config.waitStrategy());
        assertEquals(EnginePlacement.IO, config.enginePlacement());
        assertEquals(4096, config.maxLineBytes());
        assertEquals(64, config.maxTopicBytes());
        assertEquals(Transport.NIO, config.transport());
        assertEquals(250, config.shutdownTimeoutMs());
        assertEquals(65536, config.maxPendingBytes());
        assertEquals(7, config.maxConnections());
        assertEquals(8, config.maxSubscriptions());
        assertEquals(9, config.maxTopics());
        assertEquals("secret", config.security().authToken());
        assertEquals(Path.of("cert.pem"), config.security().tlsCert());
        assertEquals(Path.of("key.pem"), config.security().tlsKey());
        assertEquals(Duration.ofSeconds(30), config.security().idleTimeout());
    }

    @Test
    void shouldAcceptEnumValuesInAnyCase()
    {
        assertEquals(Transport.EPOLL, parse("--transport", "EPOLL").transport());
        assertEquals(EnginePlacement.DEDICATED, parse("--engine-thread", "Dedicated").enginePlacement());
        assertEquals(WaitStrategies.BUSY_SPIN, parse("--wait-strategy", "BUSY_SPIN").waitStrategy());
    }

    @Test
    void shouldReadTheMemoryBudgetWithOrWithoutAUnit()
    {
        assertEquals(64L << 20, parse("--max-memory", "64m").maxMemoryBytes());
        assertEquals(64L << 20, parse("--max-memory", "64MB").maxMemoryBytes());
        assertEquals(1L << 30 >> 1, parse("--max-memory=524288k").maxMemoryBytes());
        assertEquals(100_000_000, parse("--max-memory", "100000000").maxMemoryBytes());
        assertEquals(Retention.NONE, parse("--retention", "none").retention());
        assertEquals(WhenFull.EVICT, parse("--when-full", "EVICT").whenFull());
        assertThrows(CommandLine.ParameterException.class, () -> Main.commandLine(new Main()).parseArgs("--max-memory", "lots"));
        assertEquals("64m", ByteSize.format(64L << 20));
        assertEquals("1536k", ByteSize.format(1536L << 10));
        assertEquals("1g", ByteSize.format(1L << 30));
        assertEquals("1000", ByteSize.format(1000));
    }

    @Test
    void shouldRefuseAPendingLimitAbove2GiB()
    {
        final Main main = new Main();
        assertThrows(CommandLine.ParameterException.class,
            () -> Main.commandLine(main).parseArgs("--max-pending", "3000000000"));
    }

    @Test
    void shouldRefuseTheEngineOnTheEventLoopWithTwoIoThreads()
    {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> parse("--engine-thread", "io", "--io-threads", "2"));
        assertEquals("engine thread io needs exactly 1 io thread, not 2", refused.getMessage());
    }

    @Test
    void shouldRefuseAnUnknownTransport()
    {
        final Main main = new Main();
        assertThrows(CommandLine.ParameterException.class,
            () -> Main.commandLine(main).parseArgs("--transport", "kqueue"));
    }

    @Test
    void shouldShowTheConfigDefaultsInHelp()
    {
        final String help = Main.commandLine(new Main()).getUsageMessage();

        assertTrue(help.contains("Default: " + BrokerConfig.BIND_DEFAULT), help);
        assertTrue(help.contains("Default: " + BrokerConfig.INBOUND_RING_SIZE_DEFAULT), help);
        assertTrue(help.contains("Default: " + BrokerConfig.MAX_PENDING_BYTES_DEFAULT), help);
        assertTrue(help.contains("Default: auto"), help);
        assertTrue(help.contains("--engine-thread=auto|dedicated|io"), help);
    }
}
