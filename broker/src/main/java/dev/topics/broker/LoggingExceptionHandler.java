package dev.topics.broker;

import com.lmax.disruptor.ExceptionHandler;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Replaces the Disruptor's default exception handler, which halts the consumer and leaves every
 * producer blocked forever: an exception is logged with its cause, counted, offered to a
 * per-ring recovery step (answer the client, release buffers), and the handler carries on.
 *
 * <p>Called on the thread of the event handler that threw (engine or a writer).
 */
final class LoggingExceptionHandler<T> implements ExceptionHandler<T>
{
    private static final Logger LOG = Logger.getLogger(LoggingExceptionHandler.class.getName());

    private final String stage;
    private final LongAdder errors;
    private final Consumer<T> recovery;

    LoggingExceptionHandler(final String stage, final LongAdder errors, final Consumer<T> recovery)
    {
        this.stage = stage;
        this.errors = errors;
        this.recovery = recovery;
    }

    @Override
    public void handleEventException(final Throwable ex, final long sequence, final T event)
    {
        errors.increment();
        LOG.log(Level.SEVERE, ex, () -> stage + " failed on event " + sequence + ", carrying on");
        try
        {
            recovery.accept(event);
        }
        catch (final RuntimeException recoveryFailure)
        {
            errors.increment();
            LOG.log(Level.SEVERE, recoveryFailure, () -> stage + " could not recover event " + sequence);
        }
    }

    @Override
    public void handleOnStartException(final Throwable ex)
    {
        errors.increment();
        LOG.log(Level.SEVERE, ex, () -> stage + " failed to start");
    }

    @Override
    public void handleOnShutdownException(final Throwable ex)
    {
        errors.increment();
        LOG.log(Level.SEVERE, ex, () -> stage + " failed to shut down cleanly");
    }
}
