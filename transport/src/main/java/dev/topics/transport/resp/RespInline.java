package dev.topics.transport.resp;

import io.netty.buffer.ByteBuf;

/**
 * Splits an inline request (a line not starting with {@code *}) into arguments as Redis'
 * {@code sdssplitargs} does: blanks separate arguments; {@code "..."} takes the escapes
 * {@code \n \r \t \b \a \xHH} and {@code \<any>}; {@code '...'} takes {@code \'}; a closing quote
 * must be followed by a blank or the end; a NUL byte ends the line, as in C. Used by the
 * {@link RespFrameDecoder} to refuse unbalanced quotes and to skip blank lines, and by the
 * {@link RespFrontEnd} to extract the arguments.
 *
 * <p>Stateless; safe on any thread.
 */
final class RespInline
{
    /** Returned for unbalanced quotes (or a closing quote followed by something else than a blank). */
    static final int UNBALANCED = -1;

    private RespInline()
    {
    }

    /**
     * Splits {@code in[start, end)}. When {@code out} is not null the unescaped arguments are
     * written to it one after another from index 0 ({@code out} holds at least {@code end - start}
     * bytes), argument {@code i} at {@code out[starts[i], starts[i] + lengths[i])} (the arrays hold
     * at least {@code (end - start + 1) / 2} entries); when null the arguments are only counted.
     *
     * @return the number of arguments, or {@link #UNBALANCED}.
     */
    static int split(final ByteBuf in, final int start, final int end, final byte[] out, final int[] starts,
        final int[] lengths)
    {
        int p = start;
        int argc = 0;
        int written = 0;
        while (true)
        {
            while (isSpace(at(in, p, end)))
            {
                p++;
            }
            if (at(in, p, end) == 0)
            {
                return argc;
            }
            final int argStart = written;
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done)
            {
                final int c = at(in, p, end);
                int append = -1;
                if (inDouble)
                {
                    final int next = at(in, p + 1, end);
                    if (c == '\\' && next == 'x' && isHex(at(in, p + 2, end)) && isHex(at(in, p + 3, end)))
                    {
                        append = (hex(at(in, p + 2, end)) << 4) | hex(at(in, p + 3, end));
                        p += 3;
                    }
                    else if (c == '\\' && next != 0)
                    {
                        p++;
                        append = switch (next)
                        {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> next;
                        };
                    }
                    else if (c == '"')
                    {
                        if (next != 0 && !isSpace(next))
                        {
                            return UNBALANCED;
                        }
                        done = true;
                    }
                    else if (c == 0)
                    {
                        return UNBALANCED;
                    }
                    else
                    {
                        append = c;
                    }
                }
                else if (inSingle)
                {
                    final int next = at(in, p + 1, end);
                    if (c == '\\' && next == '\'')
                    {
                        p++;
                        append = '\'';
                    }
                    else if (c == '\'')
                    {
                        if (next != 0 && !isSpace(next))
                        {
                            return UNBALANCED;
                        }
                        done = true;
                    }
                    else if (c == 0)
                    {
                        return UNBALANCED;
                    }
                    else
                    {
                        append = c;
                    }
                }
                else if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0)
                {
                    done = true;
                }
                else if (c == '"')
                {
                    inDouble = true;
                }
                else if (c == '\'')
                {
                    inSingle = true;
                }
                else
                {
                    append = c;
                }
                if (append >= 0)
                {
                    if (out != null)
                    {
                        out[written] = (byte)append;
                    }
                    written++;
                }
                if (c != 0)
                {
                    p++;
                }
            }
            if (out != null)
            {
                starts[argc] = argStart;
                lengths[argc] = written - argStart;
            }
            argc++;
        }
    }

    /** The byte at {@code p} as 1 to 255, or 0 at or past {@code end} (C's terminating NUL). */
    private static int at(final ByteBuf in, final int p, final int end)
    {
        return p < end ? in.getByte(p) & 0xFF : 0;
    }

    /** C's isspace. */
    private static boolean isSpace(final int c)
    {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static boolean isHex(final int c)
    {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(final int c)
    {
        if (c <= '9')
        {
            return c - '0';
        }
        return (c | 0x20) - 'a' + 10;
    }
}
