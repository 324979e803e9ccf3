package dev.topics.broker;

import dev.topics.testing.LineClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker as a process of its own, started with the JVM flags {@code bin/topics} uses
 * ({@code bin/jvm-options}) and {@code --max-memory 64m}: flooded with 256 KiB values to 1,500
 * new topics, its resident memory (VmRSS) stays within the budget plus a fixed overhead, the
 * JVM's own (code, metaspace, GC structures, thread stacks, the rings) and the allocator's
 * chunking, which this test states as {@link #FIXED_OVERHEAD_BYTES}.
 */
class MemoryResidentTest
{
    private static final long MIB = 1024 * 1024;
    private static final long BUDGET_BYTES = 64 * MIB;
    /** What the process holds beyond the budget (docs/operations.md, "Memory budget"). */
    static final long FIXED_OVERHEAD_BYTES = 128 * MIB;
    private static final Pattern LISTENING = Pattern.compile("topics listening on 127\\.0\\.0\\.1:(\\d+) .*");

    @Test
    @Timeout(120)
    void shouldStayWithinTheBudgetPlusAFixedOverheadUnderAFlood() throws Exception
    {
        final Path status = Path.of("/proc/self/status");
        if (!Files.exists(status))
        {
            return; // VmRSS is read from /proc: Linux only
        }
        final Process process = broker("--max-memory", "64m").start();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            final String first = output.readLine();
            final Matcher matcher = LISTENING.matcher(first == null ? "" : first);
            assertTrue(matcher.matches(), "first line says where it listens: " + first);
            final InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(matcher.group(1)));
            final long atRest = residentBytes(process);
            try (LineClient flooder = new LineClient(address))
            {
                final String value = "v".repeat(256 * 1024);
                long peak = atRest;
                int refused = 0;
                for (int i = 0; i < 1_500; i++)
                {
                    flooder.sendRaw(("PUB mem." + i + " " + value + "\r\nPING " + i + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    String line;
                    while (!(line = flooder.readLine()).equals("PONG " + i))
                    {
                        assertTrue(line.startsWith("ERR out-of-memory "), line);
                        refused++;
                    }
                    if (i % 100 == 99)
                    {
                        peak = Math.max(peak, residentBytes(process));
                    }
                }
                final Map<String, Long> stats = StatsReader.read(flooder);
                peak = Math.max(peak, residentBytes(process));
                System.out.printf("resident: %d MiB at rest, %d MiB at most while 1500 x 256 KiB values were published "
                    + "under --max-memory 64m (%d refused, memory_used=%d MiB)%n", atRest / MIB, peak / MIB, refused,
                    stats.get("memory_used") / MIB);
                assertTrue(refused > 1_000, "the flood was refused: " + refused);
                assertTrue(peak <= BUDGET_BYTES + FIXED_OVERHEAD_BYTES,
                    "resident " + peak / MIB + " MiB within the budget plus " + FIXED_OVERHEAD_BYTES / MIB + " MiB");
            }
            process.destroy();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue());
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    /** The broker's main with bin/jvm-options, as bin/topics runs it; no warm-up, logging to stderr merged. */
    private static ProcessBuilder broker(final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        for (final String line : Files.readAllLines(jvmOptions()))
        {
            final String flags = line.replaceAll("#.*", "").trim();
            if (!flags.isEmpty())
            {
                command.addAll(Arrays.asList(flags.split("\\s+")));
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "--warmup", "0",
            "--log-level", "SEVERE", "127.0.0.1:0"));
        command.addAll(Arrays.asList(args));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    private static Path jvmOptions()
    {
        final Path fromModule = Path.of("..", "bin", "jvm-options");
        return Files.exists(fromModule) ? fromModule : Path.of("bin", "jvm-options");
    }

    private static long residentBytes(final Process process) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for process " + process.pid());
    }
}
