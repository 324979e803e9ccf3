package dev.topics.loadgen.report;

import dev.topics.loadgen.run.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PercentilePlotTest
{
    @Test
    void shouldDrawOneSeriesPerTargetIntoAPng(@TempDir final Path dir) throws Exception
    {
        final RunResult topics = Results.withLatenciesUs("topics", 20, 30, 40, 50, 60, 70, 80, 90, 100, 5_000);
        final RunResult redis = Results.withLatenciesUs("redis", 40, 60, 80, 100, 120, 140, 160, 180, 200, 9_000);
        final Path png = dir.resolve("single.png");

        assertTrue(PercentilePlot.write("single", List.of(topics, redis), png, 60_000));

        assertTrue(Files.size(png) > 1000, "a PNG was written");
        final byte[] magic = Files.readAllBytes(png);
        assertEquals((byte) 0x89, magic[0]);
        assertEquals('P', magic[1]);
    }
}
