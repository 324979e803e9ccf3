package dev.topics.loadgen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.topics.loadgen.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PercentilePlotTest {

    @Test
    void shouldDrawOneSeriesPerTargetIntoAPng(@TempDir Path dir) throws Exception {
        RunResult topics = Results.withLatenciesUs("topics", 20, 30, 40, 50, 60, 70, 80, 90, 100, 5_000);
        RunResult redis = Results.withLatenciesUs("redis", 40, 60, 80, 100, 120, 140, 160, 180, 200, 9_000);
        Path png = dir.resolve("single.png");

        assertTrue(PercentilePlot.write("single", List.of(topics, redis), png, 60_000));

        assertTrue(Files.size(png) > 1000, "a PNG was written");
        byte[] magic = Files.readAllBytes(png);
        assertEquals((byte) 0x89, magic[0]);
        assertEquals('P', magic[1]);
    }
}
