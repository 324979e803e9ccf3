package dev.topics.loadgen;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Test thread only: a real redis-server or nats-server started on a free loopback port for one
 * test class, and stopped by its own process handle. A test using it is skipped, with a message
 * saying how to install the peers, only when the binary is absent.
 */
public final class PeerServer implements AutoCloseable
{
    private static final long START_TIMEOUT_MS = 10_000;

    private final Process process;
    private final InetSocketAddress address;

    private PeerServer(final Process process, final InetSocketAddress address)
    {
        this.process = process;
        this.address = address;
    }

    public static PeerServer redis() throws IOException, InterruptedException
    {
        final int port = freePort();
        return start(List.of(binary("redis-server"), "--port", String.valueOf(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no"), port);
    }

    public static PeerServer nats() throws IOException, InterruptedException
    {
        final int port = freePort();
        return start(List.of(binary("nats-server"), "-a", "127.0.0.1", "-p", String.valueOf(port)), port);
    }

    /**
     * {@code nodes} nats-servers routed to one another into one cluster, on free loopback ports:
     * each listens for clients on its own port and for routes on another, and routes to every
     * other node. Returned once every node listens for clients, which does not mean that the
     * routes are up: interest may still reach a node late, as in any NATS cluster.
     */
    public static List<PeerServer> natsCluster(final int nodes) throws IOException, InterruptedException
    {
        final String nats = binary("nats-server");
        final int[] clientPorts = new int[nodes];
        final int[] routePorts = new int[nodes];
        for (int i = 0; i < nodes; i++)
        {
            clientPorts[i] = freePort();
            routePorts[i] = freePort();
        }
        final List<PeerServer> servers = new ArrayList<>();
        try
        {
            for (int i = 0; i < nodes; i++)
            {
                final StringBuilder routes = new StringBuilder();
                for (int other = 0; other < nodes; other++)
                {
                    if (other != i)
                    {
                        routes.append(routes.length() == 0 ? "" : ",").append("nats://127.0.0.1:").append(routePorts[other]);
                    }
                }
                servers.add(start(List.of(nats, "-a", "127.0.0.1", "-p", String.valueOf(clientPorts[i]),
                    "--cluster_name", "lg", "--cluster", "nats://127.0.0.1:" + routePorts[i], "--routes",
                    routes.toString()), clientPorts[i]));
            }
            return servers;
        }
        catch (final IOException | RuntimeException e)
        {
            servers.forEach(PeerServer::close);
            throw e;
        }
    }

    public InetSocketAddress address()
    {
        return address;
    }

    public String hostPort()
    {
        return "127.0.0.1:" + address.getPort();
    }

    @Override
    public void close()
    {
        process.destroy();
        try
        {
            if (!process.waitFor(5, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException e)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static PeerServer start(final List<String> command, final int port) throws IOException, InterruptedException
    {
        final Path log = Files.createTempFile("peer-server", ".log");
        final Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        final InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        final long deadlineMs = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadlineMs)
        {
            if (!process.isAlive())
            {
                throw new IOException(command.get(0) + " exited: " + Files.readString(log));
            }
            try (Socket probe = new Socket())
            {
                probe.connect(address, 200);
                return new PeerServer(process, address);
            }
            catch (final IOException notYet)
            {
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IOException(command.get(0) + " did not listen on " + port + " within " + START_TIMEOUT_MS + " ms");
    }

    /** The binary's path; skips the test if it is not installed. */
    private static String binary(final String name)
    {
        final List<String> directories = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        directories.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"));
        for (final String directory : directories)
        {
            final Path candidate = Path.of(directory.isEmpty() ? "." : directory, name);
            if (Files.isExecutable(candidate))
            {
                return candidate.toString();
            }
        }
        assumeTrue(false, name + " is not installed: run bash bench/install-peers.sh to test against it");
        throw new IllegalStateException("unreachable");
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
