package dev.topics.broker.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.topics.broker.report.EngineSnapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The operators' HTTP endpoint ({@code --metrics-port}): {@code GET /metrics} (Prometheus text
 * format), {@code GET /stats} and {@code GET /clients} (JSON); any other path is 404, any other
 * method 405. Each request asks the engine for one {@link EngineSnapshot} through the inbound ring
 * and builds its page from that alone; no answer within {@value #SNAPSHOT_TIMEOUT_MS} ms, or no
 * room in the ring, is a 503 at once, so a scrape never waits on a stuck or flooded broker for
 * longer than that and never blocks an event loop.
 *
 * <p>The JDK's {@code com.sun.net.httpserver} with one daemon thread, {@code topics-metrics-0},
 * which serves every request in turn, rather than the Prometheus client's exporter: that one
 * offers no way to add pages other than at "/", matches paths by prefix, and brings the protobuf
 * format (2 MB) that a scraper of this broker does not need. Started and closed by the thread that
 * launches the broker.
 */
public final class MetricsServer implements AutoCloseable
{
    /** How long a request waits for the engine's snapshot before it answers 503. */
    static final long SNAPSHOT_TIMEOUT_MS = 2_000;
    private static final Logger LOG = Logger.getLogger(MetricsServer.class.getName());
    private static final String JSON = "application/json; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer http;
    private final ExecutorService thread;
    private final Consumer<EngineSnapshot> engine;
    private final BrokerMetrics metrics = new BrokerMetrics();

    private MetricsServer(final HttpServer http, final ExecutorService thread, final Consumer<EngineSnapshot> engine)
    {
        this.http = http;
        this.thread = thread;
        this.engine = engine;
    }

    /**
     * Binds {@code address} (port 0 picks a free one) and serves.
     *
     * @param engine  offers a snapshot request into the inbound ring, or refuses it when there is
     *                no room; never blocks.
     * @param threads makes the one thread that serves requests.
     * @throws UncheckedIOException when the port cannot be bound, naming it.
     */
    public static MetricsServer start(
        final InetSocketAddress address, final Consumer<EngineSnapshot> engine, final ThreadFactory threads)
    {
        final HttpServer http;
        try
        {
            http = HttpServer.create(address, 16);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("metrics port " + address.getPort() + ": " + ex.getMessage(), ex);
        }
        final ExecutorService thread = Executors.newSingleThreadExecutor(threads);
        final MetricsServer server = new MetricsServer(http, thread, engine);
        http.createContext("/", server::handle);
        http.setExecutor(thread);
        try
        {
            // Started from the daemon thread: the server's dispatcher thread inherits that, so it
            // never keeps the JVM alive on its own.
            thread.submit(http::start).get();
        }
        catch (final InterruptedException | ExecutionException ex)
        {
            server.close();
            if (ex instanceof InterruptedException)
            {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("metrics server did not start", ex);
        }
        return server;
    }

    /** The address it listens on, with the real port when port 0 was asked for. */
    public InetSocketAddress address()
    {
        return http.getAddress();
    }

    @Override
    public void close()
    {
        http.stop(0);
        thread.shutdownNow();
    }

    private void handle(final HttpExchange exchange)
    {
        try (exchange)
        {
            exchange.getRequestBody().readAllBytes();
            if (!"GET".equals(exchange.getRequestMethod()))
            {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, TEXT, "only GET\n");
                return;
            }
            switch (exchange.getRequestURI().getPath())
            {
                case "/metrics" -> page(exchange, false, BrokerMetrics.contentType(), metrics::scrape);
                case "/stats" -> page(exchange, false, JSON,
                    snapshot -> utf8(JsonPages.stats(snapshot, BrokerMetrics.errorsByCode(snapshot))));
                case "/clients" -> page(exchange, true, JSON, snapshot -> utf8(JsonPages.clients(snapshot)));
                default -> send(exchange, 404, TEXT, "not found; try /metrics, /stats or /clients\n");
            }
        }
        catch (final IOException ex)
        {
            LOG.log(Level.FINE, ex, () -> "metrics request failed: the client went away");
        }
        catch (final RuntimeException ex)
        {
            LOG.log(Level.WARNING, ex, () -> "metrics request failed");
        }
    }

    /** Takes one snapshot and answers with the page built from it, or 503 when there is none. */
    private void page(final HttpExchange exchange, final boolean withClients, final String contentType, final Page page)
        throws IOException
    {
        final EngineSnapshot snapshot = new EngineSnapshot(withClients);
        engine.accept(snapshot);
        final boolean answered;
        try
        {
            answered = snapshot.await(SNAPSHOT_TIMEOUT_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            send(exchange, 503, TEXT, "interrupted\n");
            return;
        }
        if (!answered)
        {
            send(exchange, 503, TEXT, "the engine did not answer within " + SNAPSHOT_TIMEOUT_MS
                + " ms, or its inbound ring is full, or the broker is stopping; try again\n");
            return;
        }
        send(exchange, 200, contentType, page.build(snapshot));
    }

    private static void send(final HttpExchange exchange, final int status, final String contentType, final String body)
        throws IOException
    {
        send(exchange, status, contentType, utf8(body));
    }

    private static void send(final HttpExchange exchange, final int status, final String contentType, final byte[] body)
        throws IOException
    {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(body);
        }
    }

    private static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Builds a page's body from a snapshot. */
    @FunctionalInterface
    private interface Page
    {
        byte[] build(EngineSnapshot snapshot) throws IOException;
    }
}
