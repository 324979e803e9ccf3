package dev.topics.broker;

import dev.topics.testing.LineClient;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/topics} as an operator (and deploy/topics.service) runs it: the shaded jar that
 * {@code package} just built, with the flags of {@code bin/jvm-options}. It prints where it and its
 * metrics listen, serves both, and on SIGTERM exits 0. Runs after package (failsafe), so the jar
 * is there and newer than every source: the script does not build.
 */
class BinTopicsIT
{
    private static final Pattern LISTENING = Pattern.compile(
        "topics listening on 127\\.0\\.0\\.1:(\\d+) \\((epoll|nio)\\), metrics on 127\\.0\\.0\\.1:(\\d+)");

    @Test
    void shouldStartTheJarWithTheMetricsOnThenExitZeroOnSigterm() throws Exception
    {
        final Path script = DeployKitTest.ROOT.resolve("bin/topics");
        assertTrue(Files.isExecutable(script), script + " is executable");
        final ProcessBuilder builder = new ProcessBuilder(script.toString(), "127.0.0.1:0", "--warmup", "0", "--metrics-port", "0")
            .redirectErrorStream(true);
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final Process process = builder.start();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            final String first = output.readLine();
            final Matcher matcher = LISTENING.matcher(first == null ? "" : first);
            assertTrue(matcher.matches(), "first line says where it and its metrics listen: " + first);
            try (LineClient client = new LineClient(new InetSocketAddress("127.0.0.1", Integer.parseInt(matcher.group(1)))))
            {
                client.send("PING up");
                assertEquals("PONG up", client.readLine());
                final HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + matcher.group(3) + "/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertEquals(200, metrics.statusCode(), metrics.body());
                assertTrue(metrics.body().contains("\ntopics_connections 1.0\n"), metrics.body());
                assertTrue(metrics.body().contains("\njvm_memory_used_bytes{area=\"heap\"}"), "the JVM's metrics are in the shaded jar");
                process.destroy(); // SIGTERM: bin/topics execs java, so the JVM gets it
                assertTrue(process.waitFor(30, TimeUnit.SECONDS), "exits after SIGTERM");
                assertEquals(0, process.exitValue());
                assertTrue(client.isClosedByServer(), "connections are closed on shutdown");
            }
        }
        finally
        {
            process.destroyForcibly();
        }
    }
}
