package dev.topics.loadgen.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Owned by the run's coordinating thread: CPU time and resident memory of another process (the
 * broker under test) read from Linux {@code /proc}; every figure is -1 where unavailable.
 */
public final class ProcessStats
{
    /** USER_HZ: the unit of utime and stime in /proc/PID/stat, 100 on every mainstream Linux. */
    private static final double CLOCK_TICKS_PER_SEC = 100.0;

    private final long pid;

    public ProcessStats(final long pid)
    {
        this.pid = pid;
    }

    /** User plus system CPU seconds the process used so far, or -1. */
    public double cpuSeconds()
    {
        if (pid <= 0)
        {
            return -1;
        }
        try
        {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces; fields after its ')' are fixed.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            final long utime = Long.parseLong(fields[11]);
            final long stime = Long.parseLong(fields[12]);
            return (utime + stime) / CLOCK_TICKS_PER_SEC;
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
    }

    /** Resident set size in KiB, or -1. */
    public long residentKiB()
    {
        if (pid <= 0)
        {
            return -1;
        }
        try
        {
            final List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            for (final String line : lines)
            {
                if (line.startsWith("VmRSS:"))
                {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
    }
}
