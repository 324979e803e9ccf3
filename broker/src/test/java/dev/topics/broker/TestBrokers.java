package dev.topics.broker;

import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * The one way tests start a broker: a configuration on loopback, port 0, launched with
 * {@link TopicsBroker#launch}. Stateless; call it from any thread.
 *
 * <p>Shared with other modules' tests through the broker's test-jar (only this class is in it).
 * The engine placement comes from the system property {@value #ENGINE_THREAD_PROP_NAME}
 * ({@code auto}, {@code dedicated} or {@code io}; {@value #ENGINE_THREAD_DEFAULT} when unset), so
 * one surefire execution per placement runs the same end-to-end tests on each.
 */
public final class TestBrokers
{
    /** System property naming the engine placement of every test broker. */
    public static final String ENGINE_THREAD_PROP_NAME = "topics.test.engine-thread";
    /** The placement when the property is unset: what a user gets by default. */
    public static final String ENGINE_THREAD_DEFAULT = "auto";

    private TestBrokers()
    {
    }

    /**
     * A builder with the defaults but for the address (loopback, port 0) and the engine placement
     * (from {@value #ENGINE_THREAD_PROP_NAME}); build it or change more. {@code io} needs one I/O
     * thread: a test that asks for more fails to build its configuration under it.
     */
    public static BrokerConfig.Builder loopback()
    {
        return BrokerConfig.builder()
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .enginePlacement(enginePlacement());
    }

    /** A broker with {@link #loopback()}'s configuration, started; close it to stop it. */
    public static TopicsBroker launch() throws InterruptedException
    {
        return TopicsBroker.launch(loopback().build());
    }

    /** The placement the property asks for. */
    public static EnginePlacement enginePlacement()
    {
        final String name = System.getProperty(ENGINE_THREAD_PROP_NAME, ENGINE_THREAD_DEFAULT);
        return EnginePlacement.valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
