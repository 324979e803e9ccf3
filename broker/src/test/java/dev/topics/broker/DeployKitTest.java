package dev.topics.broker;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code deploy/topics.service}, the systemd unit: systemd's own checker accepts it (where
 * {@code systemd-analyze} exists), and it keeps the settings a 10,000-connection broker needs.
 */
class DeployKitTest
{
    /** The repository: the broker module's parent, where surefire runs the tests. */
    static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    private static final Path UNIT = ROOT.resolve("deploy/topics.service");
    /** Where the unit expects the installed tree. */
    private static final String INSTALL_DIR = "/opt/topics";

    @Test
    void shouldKeepTheLimitsAndRestartPolicyOfALongRunningBroker() throws Exception
    {
        final List<String> lines = Files.readAllLines(UNIT, StandardCharsets.UTF_8);
        assertTrue(lines.contains("ExecStart=" + INSTALL_DIR + "/bin/topics $TOPICS_ARGS"), "runs bin/topics from the install dir");
        assertTrue(lines.contains("User=topics"), "as a dedicated user");
        assertTrue(lines.contains("Restart=on-failure"));
        final long files = lines.stream().filter(line -> line.startsWith("LimitNOFILE="))
            .mapToLong(line -> Long.parseLong(line.substring("LimitNOFILE=".length()))).findFirst().orElse(0);
        assertTrue(files >= BrokerConfig.MAX_CONNECTIONS_DEFAULT + 1024,
            "a descriptor per connection at --max-connections, and room for the JVM's own: " + files);
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("MemoryDenyWriteExecute=")), "the JIT writes code it runs");
    }

    @Test
    void shouldPassSystemdAnalyzeVerify() throws Exception
    {
        final boolean installed = System.getenv("PATH") != null && List.of(System.getenv("PATH").split(File.pathSeparator))
            .stream().anyMatch(dir -> Files.isExecutable(Path.of(dir, "systemd-analyze")));
        assumeTrue(installed, "systemd-analyze is not installed: deploy/topics.service was not verified");
        // The checker insists that ExecStart exists: point the unit at this tree's bin/topics.
        final Path dir = Files.createTempDirectory("topics-unit");
        final Path unit = dir.resolve("topics.service");
        Files.writeString(unit, Files.readString(UNIT, StandardCharsets.UTF_8).replace(INSTALL_DIR, ROOT.toString()),
            StandardCharsets.UTF_8);
        try
        {
            final Process verify = new ProcessBuilder("systemd-analyze", "verify", "--man=no", unit.toString())
                .redirectErrorStream(true).start();
            final String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(verify.waitFor(60, TimeUnit.SECONDS), "systemd-analyze finished");
            assertEquals(0, verify.exitValue(), output);
            assertEquals("", output.strip(), "no warning either (an unknown key is only a warning)");
        }
        finally
        {
            Files.deleteIfExists(unit);
            Files.deleteIfExists(dir);
        }
    }
}
