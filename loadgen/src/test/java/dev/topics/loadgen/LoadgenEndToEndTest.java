package dev.topics.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topics.broker.TestBrokers;
import dev.topics.broker.TopicsBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line, end to end, against the in-process topics broker: a short run must lose
 * nothing, count exactly, and leave its files behind. Asserts counts and files, never a time.
 */
class LoadgenEndToEndTest {

    @Test
    void shouldRunAScenarioWithoutLossAndWriteItsReports(@TempDir Path out) throws Exception {
        try (TopicsBroker broker = TestBrokers.launch()) {
            int exitCode = new CommandLine(new LoadgenMain()).execute(
                    "--target", "topics=127.0.0.1:" + broker.address().getPort(),
                    "--scenario", "fanout", "--subscribers", "3", "--rate", "1000",
                    "--warmup", "100ms", "--duration", "300ms", "--out", out.toString());

            assertEquals(0, exitCode);
        }
        String json = Files.readString(out.resolve("fanout-topics.json"));
        long sent = field(json, "sent");
        assertTrue(sent > 0);
        assertEquals(3 * sent, field(json, "expected"));
        assertEquals(3 * sent, field(json, "delivered"));
        assertEquals(0, field(json, "lost"));
        assertEquals(0, field(json, "duplicated"));
        assertEquals(0, field(json, "reordered"));
        assertTrue(json.contains("\"passed\": true"), json);
        for (String file : List.of("fanout-topics.hgrm", "fanout.png", "summary.json", "table.txt")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
        assertTrue(Files.readString(out.resolve("fanout-topics.hgrm")).contains("#[Max"), "an HdrHistogram distribution");
    }

    @Test
    void shouldInterleaveTargetsWithinEachScenarioStep() {
        LoadgenMain main = new LoadgenMain();
        new CommandLine(main).parseArgs("-t", "redis=127.0.0.1:7001", "-t", "nats", "-s", "single,sweep",
                "--sweep-steps", "2", "--rate", "1000");

        List<String> plan = main.plan().stream()
                .map(spec -> spec.groupName() + " " + spec.target().label() + " " + spec.rateLabel()).toList();

        assertEquals(List.of("single redis 1000", "single nats 1000", "sweep-r1000 redis 1000", "sweep-r1000 nats 1000",
                "sweep-r2000 redis 2000", "sweep-r2000 nats 2000"), plan);
    }

    private static long field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\": (-?\\d+)").matcher(json);
        assertTrue(matcher.find(), name + " in " + json);
        return Long.parseLong(matcher.group(1));
    }
}
