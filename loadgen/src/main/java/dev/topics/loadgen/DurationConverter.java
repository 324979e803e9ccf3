package dev.topics.loadgen;

import picocli.CommandLine.ITypeConverter;

import java.util.Locale;

/**
 * Stateless, any thread: parses {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m} (a bare
 * number is seconds) into nanoseconds for picocli.
 */
public final class DurationConverter implements ITypeConverter<Long>
{
    @Override
    public Long convert(final String value)
    {
        final String text = value.trim().toLowerCase(Locale.ROOT);
        final double scaleNs;
        final String number;
        if (text.endsWith("ms"))
        {
            scaleNs = 1e6;
            number = text.substring(0, text.length() - 2);
        }
        else if (text.endsWith("s"))
        {
            scaleNs = 1e9;
            number = text.substring(0, text.length() - 1);
        }
        else if (text.endsWith("m"))
        {
            scaleNs = 60e9;
            number = text.substring(0, text.length() - 1);
        }
        else
        {
            scaleNs = 1e9;
            number = text;
        }
        final double amount = Double.parseDouble(number);
        if (amount < 0)
        {
            throw new IllegalArgumentException("negative duration: " + value);
        }
        return Math.round(amount * scaleNs);
    }
}
