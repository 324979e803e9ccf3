package dev.topics.loadgen.run;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * Owned by the run's coordinating thread: CPU time of this JVM, so the loadgen can report its
 * own cost (on 2 cores it competes with the broker it measures).
 */
public final class CpuMeter
{
    private final com.sun.management.OperatingSystemMXBean os;
    private long startCpuNs;
    private long startWallNs;

    public CpuMeter()
    {
        final OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        os = bean instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
    }

    public void start()
    {
        startCpuNs = cpuNs();
        startWallNs = System.nanoTime();
    }

    /** CPU used since {@link #start} as a percentage of one core (200 = two cores busy), or NaN. */
    public double percentOfOneCore()
    {
        final long cpuNs = cpuNs();
        final long wallNs = System.nanoTime() - startWallNs;
        if (cpuNs < 0 || startCpuNs < 0 || wallNs <= 0)
        {
            return Double.NaN;
        }
        return 100.0 * (cpuNs - startCpuNs) / wallNs;
    }

    private long cpuNs()
    {
        return os == null ? -1 : os.getProcessCpuTime();
    }
}
