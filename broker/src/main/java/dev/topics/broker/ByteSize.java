package dev.topics.broker;

import picocli.CommandLine.ITypeConverter;

import java.util.Locale;

/**
 * A number of bytes as typed on the command line: {@code 268435456}, {@code 512k}, {@code 64m},
 * {@code 1g} (powers of 1024, either case, an optional {@code b} after the unit).
 *
 * <p>Stateless; safe on any thread.
 */
final class ByteSize implements ITypeConverter<Long>
{
    @Override
    public Long convert(final String value)
    {
        return parse(value);
    }

    /** @throws IllegalArgumentException for anything but a positive whole number with an optional unit. */
    static long parse(final String value)
    {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.endsWith("b") && text.length() > 1 && !Character.isDigit(text.charAt(text.length() - 2)))
        {
            text = text.substring(0, text.length() - 1);
        }
        final int shift = switch (text.isEmpty() ? ' ' : text.charAt(text.length() - 1))
        {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        final String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
        final long number;
        try
        {
            number = Long.parseLong(digits);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("not a size in bytes (like 268435456, 512k, 64m or 1g): " + value, ex);
        }
        if (number < 0 || number > Long.MAX_VALUE >> shift)
        {
            throw new IllegalArgumentException("size out of range: " + value);
        }
        return number << shift;
    }

    /** {@code bytes} in the largest whole unit: {@code 64m}, {@code 1536k}, {@code 1000}. */
    static String format(final long bytes)
    {
        final String units = "kmg";
        for (int i = units.length() - 1; i >= 0; i--)
        {
            final int shift = 10 * (i + 1);
            if (bytes != 0 && bytes % (1L << shift) == 0)
            {
                return (bytes >> shift) + units.substring(i, i + 1);
            }
        }
        return Long.toString(bytes);
    }
}
