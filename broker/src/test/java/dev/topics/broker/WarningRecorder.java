package dev.topics.broker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records every java.util.logging record at WARNING or above, on any thread, while attached to the
 * root logger; a test asserts on what it saw (for example: no stack trace).
 */
final class WarningRecorder extends Handler
{
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    WarningRecorder attach()
    {
        Logger.getLogger("").addHandler(this);
        return this;
    }

    void detach()
    {
        Logger.getLogger("").removeHandler(this);
    }

    /** The records that carried a stack trace, as one readable line each. */
    List<String> withStackTraces()
    {
        return records.stream()
            .filter(record -> record.getThrown() != null)
            .map(record -> record.getLoggerName() + ": " + record.getMessage() + " " + record.getThrown())
            .toList();
    }

    /** Messages of the records whose message contains {@code text}. */
    List<String> containing(final String text)
    {
        return records.stream()
            .map(LogRecord::getMessage)
            .filter(message -> message != null && message.contains(text))
            .toList();
    }

    @Override
    public void publish(final LogRecord record)
    {
        if (record.getLevel().intValue() >= Level.WARNING.intValue())
        {
            records.add(record);
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
}
