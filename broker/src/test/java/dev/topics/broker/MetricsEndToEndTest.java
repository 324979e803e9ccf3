package dev.topics.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.topics.testing.LineClient;
import dev.topics.testing.NettyLeakGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The metrics endpoint against the real broker: {@code /metrics} after known traffic, with a
 * {@code PING} as the barrier that makes the counts exact, checked by Prometheus' own
 * {@code promtool} where it is installed (CI installs it); {@code /stats} and {@code /clients}
 * parse as JSON and agree with STATS and CLIENTS; every other path is 404.
 */
@ExtendWith(NettyLeakGuard.class)
class MetricsEndToEndTest
{
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TopicsBroker broker;

    @AfterEach
    void stop()
    {
        if (broker != null)
        {
            broker.close();
        }
    }

    private void launchWithMetrics() throws InterruptedException
    {
        broker = TopicsBroker.launch(TestBrokers.loopback().metricsPort(0).build());
    }

    private HttpResponse<String> get(final String path) throws IOException, InterruptedException
    {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private URI uri(final String path)
    {
        return URI.create("http://127.0.0.1:" + broker.metricsAddress().getPort() + path);
    }

    /** Sends each line, then a PING as a barrier; returns the bytes sent. */
    private static int sendWithBarrier(final LineClient client, final String... lines) throws IOException
    {
        int bytes = 0;
        for (final String line : lines)
        {
            client.send(line);
            bytes += line.getBytes(StandardCharsets.UTF_8).length + 2;
        }
        client.send("PING sync");
        return bytes + "PING sync\r\n".length();
    }

    /** Reads lines up to the barrier's PONG; returns the bytes read, with line endings. */
    private static int readThroughPong(final LineClient client, final List<String> into) throws IOException
    {
        int bytes = 0;
        String line;
        do
        {
            line = client.readLine();
            bytes += line.getBytes(StandardCharsets.UTF_8).length + 2;
            into.add(line);
        }
        while (!"PONG sync".equals(line));
        return bytes;
    }

    /** Sample lines by series ({@code name} or {@code name{labels}}), comments left out. */
    private static Map<String, Double> samples(final String exposition)
    {
        final Map<String, Double> samples = new HashMap<>();
        for (final String line : exposition.split("\n"))
        {
            if (!line.isEmpty() && !line.startsWith("#"))
            {
                final int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    @Test
    void shouldServeExactCountsInThePrometheusTextFormat() throws Exception
    {
        launchWithMetrics();
        try (LineClient subscriber = new LineClient(broker.address());
             LineClient publisher = new LineClient(broker.address()))
        {
            final List<String> got = new ArrayList<>();
            int received = sendWithBarrier(subscriber, "SUB news", "SUB sensors.*.temp");
            int sent = readThroughPong(subscriber, got);
            received += sendWithBarrier(publisher, "PUB news hello", "PUB sensors.k1.temp 21.5", "PUB other x",
                "PUB a.* x", "FOO");
            sent += readThroughPong(publisher, got);
            received += sendWithBarrier(subscriber);
            sent += readThroughPong(subscriber, got);
            assertEquals(List.of("SUBSCRIBED news", "SUBSCRIBED sensors.*.temp", "PONG sync",
                "ERR bad-topic PUB and GET name one topic: a * or > token is only for SUB and UNSUB",
                "ERR unknown-command unknown command, try HELP", "PONG sync",
                "UPDATED news hello", "UPDATED sensors.k1.temp 21.5", "PONG sync"), got);

            final HttpResponse<String> response = get("/metrics");
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
                response.headers().toString());
            final String body = response.body();
            final Map<String, Double> samples = samples(body);
            final Map<String, Double> expected = new LinkedHashMap<>();
            expected.put("topics_connections", 2.0);
            expected.put("topics_topics", 3.0);
            expected.put("topics_subscriptions", 2.0);
            expected.put("topics_patterns", 1.0);
            expected.put("topics_published_total", 3.0);
            expected.put("topics_delivered_total", 2.0);
            expected.put("topics_errors_total{code=\"bad-topic\"}", 1.0);
            expected.put("topics_errors_total{code=\"unknown-command\"}", 1.0);
            expected.put("topics_errors_total{code=\"internal\"}", 0.0);
            expected.put("topics_errors_total{code=\"too-many-topics\"}", 0.0);
            expected.put("topics_slow_consumer_disconnects_total", 0.0);
            expected.put("topics_rejected_connections_total", 0.0);
            expected.put("topics_ring_size_slots{ring=\"inbound\"}", (double)BrokerConfig.INBOUND_RING_SIZE_DEFAULT);
            expected.put("topics_ring_size_slots{ring=\"outbound\"}", (double)BrokerConfig.OUTBOUND_RING_SIZE_DEFAULT);
            expected.put("topics_received_bytes_total", (double)received);
            expected.put("topics_sent_bytes_total", (double)sent);
            for (final Map.Entry<String, Double> series : expected.entrySet())
            {
                assertEquals(series.getValue(), samples.get(series.getKey()), series.getKey() + " in\n" + body);
            }
            for (final String series : List.of("topics_ring_used_slots{ring=\"inbound\"}",
                "topics_ring_used_slots{ring=\"outbound\"}", "topics_delivery_latency_p50_seconds",
                "topics_delivery_latency_p99_seconds", "topics_delivery_latency_p999_seconds",
                "topics_delivery_latency_max_seconds", "topics_read_pauses_total", "topics_auth_failures_total",
                "topics_idle_closes_total", "topics_tls_failures_total", "jvm_threads_current", "jvm_memory_used_bytes{area=\"heap\"}"))
            {
                assertNotNull(samples.get(series), series + " in\n" + body);
            }
            assertTrue(samples.get("topics_delivery_latency_max_seconds") > 0, "two deliveries were timed:\n" + body);
            assertEquals(0.0, samples.get("topics_oom_refusals_total"), body);
            assertTrue(samples.get("topics_memory_max_bytes") > 0, "the budget is exposed:\n" + body);
            assertTrue(samples.get("topics_memory_used_bytes") > 0, "latest values and buffers count:\n" + body);
            assertTrue(body.contains("# TYPE topics_published counter") || body.contains("# TYPE topics_published_total counter"),
                body);
            promtoolCheck(body);
        }
    }

    /** Prometheus' own checker of the exposition format and its naming rules, where installed. */
    private static void promtoolCheck(final String exposition) throws IOException, InterruptedException
    {
        final boolean installed = System.getenv("PATH") != null && List.of(System.getenv("PATH").split(File.pathSeparator))
            .stream().anyMatch(dir -> Files.isExecutable(Path.of(dir, "promtool")));
        assumeTrue(installed, "promtool is not installed (Debian package prometheus; CI installs it with "
            + "bench/install-ci-tools.sh): the exposition was not checked by it");
        final Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = promtool.getOutputStream())
        {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        final String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, promtool.exitValue(), "promtool check metrics:\n" + verdict + "\non:\n" + exposition);
    }

    @Test
    void shouldServeStatsAsJsonThatAgreesWithStats() throws Exception
    {
        launchWithMetrics();
        try (LineClient client = new LineClient(broker.address()))
        {
            sendWithBarrier(client, "SUB a", "SUB b.>", "PUB a 1", "PUB a 2", "GET");
            readThroughPong(client, new ArrayList<>());

            final HttpResponse<String> response = get("/stats");
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
            final JsonNode json = JSON.readTree(response.body());
            client.send("STATS");
            final String line = client.readLine();
            final Map<String, String> stats = new LinkedHashMap<>();
            for (final String pair : line.substring("STATS ".length()).split(" "))
            {
                stats.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            final List<String> jsonKeys = new ArrayList<>();
            json.fieldNames().forEachRemaining(jsonKeys::add);
            final List<String> statsKeys = new ArrayList<>(stats.keySet());
            assertEquals(statsKeys, jsonKeys.subList(0, statsKeys.size()), "the STATS keys first, in their order");
            assertEquals(List.of("received_bytes", "sent_bytes", "errors_by_code"), jsonKeys.subList(statsKeys.size(), jsonKeys.size()));
            for (final String key : statsKeys)
            {
                if (!key.startsWith("latency_") && !key.endsWith("_ring_used"))
                {
                    assertEquals(Long.parseLong(stats.get(key)), json.get(key).asLong(), key + ": " + line + " vs " + json);
                }
            }
            assertEquals(2, json.get("published").asLong());
            assertEquals(2, json.get("delivered").asLong());
            assertEquals(1, json.get("errors_by_code").get("missing-topic").asLong(), json.toString());
            long byCode = 0;
            for (final Iterator<JsonNode> counts = json.get("errors_by_code").elements(); counts.hasNext(); )
            {
                byCode += counts.next().asLong();
            }
            assertEquals(json.get("errors").asLong(), byCode, "the codes add up to errors: " + json);
        }
    }

    @Test
    void shouldListClientsAsJsonThatAgreesWithClientsEscapingTheirNames() throws Exception
    {
        launchWithMetrics();
        final String quoted = "q\"uo\\te\\\\é€𝄞";
        try (LineClient named = new LineClient(broker.address());
             LineClient notUtf8 = new LineClient(broker.address());
             LineClient asker = new LineClient(broker.address()))
        {
            sendWithBarrier(named, "NAME " + quoted, "SUB x", "SUB y.*");
            readThroughPong(named, new ArrayList<>());
            notUtf8.sendRaw(new byte[]{'N', 'A', 'M', 'E', ' ', 'x', (byte)0xFF, 'y', '\r', '\n'});
            sendWithBarrier(notUtf8);
            readThroughPong(notUtf8, new ArrayList<>());

            final HttpResponse<String> response = get("/clients");
            assertEquals(200, response.statusCode(), response.body());
            final JsonNode json = JSON.readTree(response.body());
            assertEquals(3, json.get("connections").asInt());
            final Map<String, JsonNode> byAddress = new HashMap<>();
            json.get("clients").elements().forEachRemaining(client -> byAddress.put(client.get("addr").asText(), client));

            final JsonNode first = byAddress.get("127.0.0.1:" + named.socket().getLocalPort());
            assertEquals(quoted, first.get("name").asText(), "quotes, backslashes and UTF-8 survive: " + response.body());
            assertEquals(1, first.get("subscriptions").asInt());
            assertEquals(1, first.get("patterns").asInt());
            assertEquals("x\uFFFDy", byAddress.get("127.0.0.1:" + notUtf8.socket().getLocalPort()).get("name").asText(),
                "a byte that is not UTF-8 shows as U+FFFD");

            asker.send("CLIENTS");
            final List<String> lines = new ArrayList<>();
            for (String line = asker.readLine(); !"END".equals(line); line = asker.readLine())
            {
                lines.add(line);
            }
            assertEquals(3, lines.size(), lines.toString());
            for (final String line : lines)
            {
                final Map<String, String> values = new LinkedHashMap<>();
                for (final String pair : line.substring("CLIENT ".length()).split(" "))
                {
                    values.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
                final JsonNode client = byAddress.get(values.get("addr"));
                assertNotNull(client, line + " in " + response.body());
                final List<String> jsonKeys = new ArrayList<>();
                client.fieldNames().forEachRemaining(jsonKeys::add);
                assertEquals(new ArrayList<>(values.keySet()), jsonKeys, "the keys of a CLIENT line, in order");
                for (final String key : List.of("id", "subscriptions", "patterns", "msgs_in", "msgs_out", "closing"))
                {
                    assertEquals(values.get(key), client.get(key).asText(), key + ": " + line + " vs " + client);
                }
                if (values.get("addr").endsWith(":" + named.socket().getLocalPort()))
                {
                    assertEquals(quoted, values.get("name"));
                    assertEquals(values.get("bytes_in"), client.get("bytes_in").asText(), line + " vs " + client);
                }
            }
        }
    }

    @Test
    void shouldAnswerEveryScrapeDuringAFloodAndCountEveryPublication() throws Exception
    {
        // A small inbound ring, so that the flood fills it and some scrapes meet a full ring.
        broker = TopicsBroker.launch(TestBrokers.loopback().metricsPort(0).inboundRingSize(64).build());
        final int messages = 50_000;
        try (LineClient subscriber = new LineClient(broker.address());
             LineClient publisher = new LineClient(broker.address()))
        {
            sendWithBarrier(subscriber, "SUB flood");
            readThroughPong(subscriber, new ArrayList<>());
            final Thread flood = new Thread(() ->
            {
                try
                {
                    final StringBuilder batch = new StringBuilder();
                    for (int i = 0; i < messages; i++)
                    {
                        batch.append("PUB flood ").append(i).append("\r\n");
                        if (batch.length() > 16_384)
                        {
                            publisher.sendRaw(batch.toString());
                            batch.setLength(0);
                        }
                    }
                    publisher.sendRaw(batch.append("PING sync\r\n").toString());
                }
                catch (final IOException ex)
                {
                    throw new IllegalStateException(ex);
                }
            }, "flood");
            flood.start();
            final Thread drain = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < messages; i++)
                    {
                        subscriber.readLine();
                    }
                }
                catch (final IOException ex)
                {
                    throw new IllegalStateException(ex);
                }
            }, "drain");
            drain.start();
            int scrapes = 0;
            while (flood.isAlive() || scrapes < 5)
            {
                final long startNs = System.nanoTime();
                final int status = get("/metrics").statusCode();
                assertTrue(status == 200 || status == 503, "answered, or refused: " + status);
                assertTrue(System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(5), "never stuck past the snapshot timeout");
                scrapes++;
            }
            flood.join(60_000);
            assertEquals("PONG sync", publisher.readLine(), "the publisher was never stalled for good");
            drain.join(60_000);
            assertFalse(drain.isAlive(), "every delivery arrived");
            final Map<String, Double> samples = samples(get("/metrics").body());
            assertEquals(messages, samples.get("topics_published_total"), "every PUB counted exactly");
            assertEquals(messages, samples.get("topics_delivered_total"));
        }
    }

    @Test
    void shouldAnswerNotFoundForAnyOtherPathAndOnlyGet() throws Exception
    {
        launchWithMetrics();
        for (final String path : List.of("/", "/metricsx", "/metrics/", "/varz", "/stats.json"))
        {
            assertEquals(404, get(path).statusCode(), path);
        }
        final HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(uri("/metrics"))
            .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals(200, get("/metrics?name[]=topics_connections").statusCode(), "a query string is ignored");
    }

    @Test
    void shouldOpenNoMetricsPortByDefault() throws Exception
    {
        broker = TestBrokers.launch();
        assertNull(broker.metricsAddress());
        assertEquals(BrokerConfig.METRICS_PORT_OFF, TestBrokers.loopback().build().metricsPort());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("topics-metrics-")
            && t.isAlive() && !t.isDaemon()), "no metrics thread keeps the JVM alive");
    }
}
