package dev.topics.broker.metrics;

import dev.topics.broker.report.EngineSnapshot;
import dev.topics.transport.codec.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoint without a broker: what it answers when the engine cannot or does not fill its
 * snapshot, and how it writes JSON. The end-to-end behaviour is {@code MetricsEndToEndTest}'s.
 */
class MetricsServerTest
{
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(final MetricsServer server, final String path) throws IOException, InterruptedException
    {
        final URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static MetricsServer start(final Consumer<EngineSnapshot> engine)
    {
        return MetricsServer.start(new InetSocketAddress("127.0.0.1", 0), engine, Thread::new);
    }

    @Test
    void shouldAnswerServiceUnavailableAtOnceWhenTheRingHasNoRoom() throws Exception
    {
        try (MetricsServer server = start(EngineSnapshot::refuse))
        {
            for (final String path : List.of("/metrics", "/stats", "/clients"))
            {
                final long startNs = System.nanoTime();
                final HttpResponse<String> response = get(server, path);
                assertEquals(503, response.statusCode(), path);
                assertTrue(System.nanoTime() - startNs < TimeUnit.NANOSECONDS.convert(MetricsServer.SNAPSHOT_TIMEOUT_MS, TimeUnit.MILLISECONDS),
                    "without waiting for the timeout");
            }
        }
    }

    @Test
    void shouldAnswerServiceUnavailableWhenTheEngineDoesNotAnswerInTime() throws Exception
    {
        try (MetricsServer server = start(snapshot -> { }))
        {
            final long startNs = System.nanoTime();
            final HttpResponse<String> response = get(server, "/metrics");
            assertEquals(503, response.statusCode());
            assertTrue(response.body().contains("did not answer within"), response.body());
            assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(MetricsServer.SNAPSHOT_TIMEOUT_MS));
        }
    }

    @Test
    void shouldServeEveryValueOfOneSnapshot() throws Exception
    {
        final Consumer<EngineSnapshot> engine = snapshot ->
        {
            snapshot.stats().number("connections", 3);
            snapshot.stats().number("errors", 5);
            snapshot.stats().number("protocol_errors", 4);
            final long[] errors = new long[ErrorCode.values().length];
            errors[ErrorCode.BAD_TOPIC.ordinal()] = 1;
            errors[ErrorCode.BAD_PATTERN.ordinal()] = 2;
            errors[ErrorCode.MISSING_TOPIC.ordinal()] = 1;
            snapshot.fill(errors, 10, 20, List.of());
        };
        try (MetricsServer server = start(engine))
        {
            final String metrics = get(server, "/metrics").body();
            assertTrue(metrics.contains("\ntopics_connections 3.0\n"), metrics);
            assertTrue(metrics.contains("\ntopics_errors_total{code=\"bad-topic\"} 3.0\n"), "one series per code word: " + metrics);
            assertTrue(metrics.contains("\ntopics_errors_total{code=\"internal\"} 1.0\n"), "internal errors are errors - protocol_errors");
            assertTrue(metrics.contains("\ntopics_received_bytes_total 10.0\n"), metrics);
            assertFalse(metrics.contains("code=\"slow-consumer\""), "the engine never answers slow-consumer");
            assertEquals("{\"connections\":3,\"errors\":5,\"protocol_errors\":4,\"received_bytes\":10,\"sent_bytes\":20,"
                + "\"errors_by_code\":{\"unknown-command\":0,\"missing-topic\":1,\"bad-topic\":3,\"bad-name\":0,"
                + "\"line-too-long\":0,\"too-many-subscriptions\":0,\"too-many-topics\":0,\"shutting-down\":0,\"out-of-memory\":0,"
                + "\"auth-required\":0,\"auth-failed\":0,\"auth-not-enabled\":0,\"subscribed-mode\":0,\"protocol-error\":0,\"bad-arguments\":0,\"too-large\":0,\"internal\":1}}\n", get(server, "/stats").body());
            assertEquals("{\"connections\":0,\"clients\":[]}\n", get(server, "/clients").body());
        }
    }

    @Test
    void shouldEscapeQuotesBackslashesAndControlCharactersAndReadBytesAsUtf8()
    {
        final StringBuilder json = new StringBuilder();
        final JsonFields fields = new JsonFields(json);
        fields.text("name", "a\"b\\c\u0001");
        final String euro = new String("€".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        fields.text("utf8", euro);
        fields.text("bad", "x\u00FFy");
        fields.close();
        assertEquals("{\"name\":\"a\\\"b\\\\c\\u0001\",\"utf8\":\"€\",\"bad\":\"x\uFFFDy\"}", json.toString());
    }
}
