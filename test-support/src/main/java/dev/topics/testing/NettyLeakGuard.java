package dev.topics.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fails a test class when Netty's leak detector reports an unreleased buffer during it.
 *
 * <p>Netty logs leaks (through java.util.logging here) only when a leaked buffer is garbage
 * collected and a later allocation polls for it; this guard listens to that logger, and after the
 * class forces collections and allocations so pending reports surface before it checks.
 * Used on the JUnit thread; the handler may be called from any thread.
 */
public final class NettyLeakGuard implements BeforeAllCallback, AfterAllCallback
{
    private static final Logger DETECTOR_LOG = Logger.getLogger(ResourceLeakDetector.class.getName());
    private final List<String> leaks = new CopyOnWriteArrayList<>();
    private final Handler recorder = new Handler()
    {
        @Override
        public void publish(final LogRecord record)
        {
            if (record.getMessage() != null && record.getMessage().contains("LEAK"))
            {
                leaks.add(record.getMessage());
            }
        }

        @Override
        public void flush()
        {
        }

        @Override
        public void close()
        {
        }
    };

    @Override
    public void beforeAll(final ExtensionContext context)
    {
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(),
            "tests must run with -Dio.netty.leakDetection.level=paranoid");
        DETECTOR_LOG.addHandler(recorder);
    }

    @Override
    public void afterAll(final ExtensionContext context) throws InterruptedException
    {
        try
        {
            for (int round = 0; round < 5; round++)
            {
                System.gc();
                Thread.sleep(20);
                for (int i = 0; i < 64; i++)
                {
                    final ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(16);
                    probe.release();
                }
            }
            assertTrue(leaks.isEmpty(), () -> "Netty reported leaked buffers:\n" + String.join("\n", leaks));
        }
        finally
        {
            DETECTOR_LOG.removeHandler(recorder);
        }
    }
}
