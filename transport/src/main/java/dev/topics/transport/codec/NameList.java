package dev.topics.transport.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The neutral form of a command's list of names ({@link Command#NUMSUB}) on its way to the engine:
 * each name as a 4-byte length and its bytes, in order, in one buffer.
 *
 * <p>Stateless; safe on any thread.
 */
public final class NameList
{
    private NameList()
    {
    }

    /** The names of {@code line} packed into a new buffer from {@code alloc}, which the caller owns. */
    public static ByteBuf pack(final ByteBufAllocator alloc, final ParsedLine line)
    {
        int bytes = 0;
        for (int i = 0; i < line.nameCount(); i++)
        {
            bytes += Integer.BYTES + line.nameLength(i);
        }
        final ByteBuf packed = alloc.buffer(bytes);
        for (int i = 0; i < line.nameCount(); i++)
        {
            packed.writeInt(line.nameLength(i)).writeBytes(line.line(), line.nameIndex(i), line.nameLength(i));
        }
        return packed;
    }

    /** The names packed in {@code packed} (readable bytes, not consumed), as exact-length arrays. */
    public static byte[][] unpack(final ByteBuf packed)
    {
        int count = 0;
        for (int at = packed.readerIndex(); at < packed.writerIndex(); at += Integer.BYTES + packed.getInt(at))
        {
            count++;
        }
        final byte[][] names = new byte[count][];
        int at = packed.readerIndex();
        for (int i = 0; i < count; i++)
        {
            final int length = packed.getInt(at);
            names[i] = new byte[length];
            packed.getBytes(at + Integer.BYTES, names[i]);
            at += Integer.BYTES + length;
        }
        return names;
    }
}
