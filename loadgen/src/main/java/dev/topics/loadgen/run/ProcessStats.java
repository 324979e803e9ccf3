package dev.topics.loadgen.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Owned by the run's coordinating thread: CPU time and resident memory of other processes (the
 * broker under test: several for a cluster, whose figures are the sum over its nodes) read from
 * Linux {@code /proc}; every figure is -1 where unavailable for any of them, or with none.
 */
public final class ProcessStats
{
    /** USER_HZ: the unit of utime and stime in /proc/PID/stat, 100 on every mainstream Linux. */
    private static final double CLOCK_TICKS_PER_SEC = 100.0;

    private final List<Long> pids;

    public ProcessStats(final List<Long> pids)
    {
        this.pids = List.copyOf(pids);
    }

    /** User plus system CPU seconds the processes used so far, summed, or -1. */
    public double cpuSeconds()
    {
        if (pids.isEmpty())
        {
            return -1;
        }
        double sum = 0;
        for (final long pid : pids)
        {
            final double seconds = cpuSeconds(pid);
            if (seconds < 0)
            {
                return -1;
            }
            sum += seconds;
        }
        return sum;
    }

    /** Resident set size of the processes in KiB, summed, or -1. */
    public long residentKiB()
    {
        if (pids.isEmpty())
        {
            return -1;
        }
        long sum = 0;
        for (final long pid : pids)
        {
            final long kib = residentKiB(pid);
            if (kib < 0)
            {
                return -1;
            }
            sum += kib;
        }
        return sum;
    }

    private static double cpuSeconds(final long pid)
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

    private static long residentKiB(final long pid)
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
