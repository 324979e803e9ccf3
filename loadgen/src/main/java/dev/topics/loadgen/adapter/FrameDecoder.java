package dev.topics.loadgen.adapter;

/**
 * Owned by the one thread that reads a connection: turns inbound bytes into listener calls.
 *
 * <p>A partial frame at the end of the bytes is the normal case: the decoder stops before it and
 * says where, and the caller keeps those bytes for the next read.
 */
public interface FrameDecoder
{
    /**
     * Decodes every complete frame in {@code buffer[start, end)}.
     *
     * @return the index of the first byte not consumed (the start of a partial frame, or end)
     */
    int decode(byte[] buffer, int start, int end, InboundListener listener);

    /** Index of the first {@code \n} in {@code buffer[from, end)}, or -1. */
    static int indexOfNewline(final byte[] buffer, final int from, final int end)
    {
        for (int i = from; i < end; i++)
        {
            if (buffer[i] == '\n')
            {
                return i;
            }
        }
        return -1;
    }

    /** End of a line's content: {@code newline}, less one if a {@code \r} precedes it. */
    static int contentEnd(final byte[] buffer, final int lineStart, final int newline)
    {
        return newline > lineStart && buffer[newline - 1] == '\r' ? newline - 1 : newline;
    }

    /** Whether {@code buffer[offset..]} starts with the ASCII {@code word} and has room for it. */
    static boolean startsWith(final byte[] buffer, final int offset, final int end, final byte[] word)
    {
        if (end - offset < word.length)
        {
            return false;
        }
        for (int i = 0; i < word.length; i++)
        {
            if (buffer[offset + i] != word[i])
            {
                return false;
            }
        }
        return true;
    }
}
