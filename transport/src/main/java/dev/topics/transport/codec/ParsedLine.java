package dev.topics.transport.codec;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * A reusable view of one parsed command line: the command and where its topic and argument lie
 * inside the line buffer. No bytes are copied and no {@code String} is made.
 *
 * <p>Owned by one channel's event-loop thread; valid only until the next {@link LineParser#parse}
 * into it and only while the line buffer is alive.
 */
public final class ParsedLine
{
    private Command command;
    private ErrorCode error;
    private ByteBuf line;
    private int lineIndex;
    private int lineLength;
    private int topicIndex;
    private int topicLength;
    private TopicMatch match;
    private int argumentIndex;
    private int argumentLength;
    private long readNanos;
    private int detail;
    private boolean silent;
    private int nameCount;
    private int[] nameIndexes = new int[0];
    private int[] nameLengths = new int[0];

    void set(final Command command, final ByteBuf line, final int lineIndex, final int lineLength)
    {
        this.lineIndex = lineIndex;
        this.lineLength = lineLength;
        this.command = command;
        this.line = line;
        this.error = null;
        this.topicIndex = 0;
        this.topicLength = 0;
        this.match = TopicMatch.EXACT;
        this.argumentIndex = 0;
        this.argumentLength = -1;
        this.detail = 0;
        this.silent = false;
        this.nameCount = 0;
    }

    void topic(final int index, final int length)
    {
        topicIndex = index;
        topicLength = length;
    }

    void match(final TopicMatch match)
    {
        this.match = match;
    }

    void argument(final int index, final int length)
    {
        argumentIndex = index;
        argumentLength = length;
    }

    /** Sets the protocol's detail of this command (see {@link #detail()}). */
    public ParsedLine detail(final int value)
    {
        this.detail = value;
        return this;
    }

    /** Marks the replies to this command as not to be sent (RESP's CLIENT REPLY OFF or SKIP). */
    public ParsedLine silent(final boolean value)
    {
        this.silent = value;
        return this;
    }

    /** Adds one name at {@code line()[index, index + length)} to {@link #nameCount()} names. */
    public void addName(final int index, final int length)
    {
        if (nameCount == nameIndexes.length)
        {
            nameIndexes = Arrays.copyOf(nameIndexes, Math.max(8, nameCount * 2));
            nameLengths = Arrays.copyOf(nameLengths, nameIndexes.length);
        }
        nameIndexes[nameCount] = index;
        nameLengths[nameCount] = length;
        nameCount++;
    }

    /** Makes this view the command {@code command} over {@code line}, with nothing parsed yet. */
    public ParsedLine start(final Command command, final ByteBuf line, final int index, final int length)
    {
        set(command, line, index, length);
        return this;
    }

    /** Sets the topic (NAME: the name) at {@code line()[index, index + length)}. */
    public ParsedLine withTopic(final int index, final int length)
    {
        topic(index, length);
        return this;
    }

    /** Sets how the topic is matched. */
    public ParsedLine withMatch(final TopicMatch value)
    {
        match(value);
        return this;
    }

    /** Sets the argument (PUB message, PING or ECHO text, AUTH token) at {@code line()[index, index + length)}. */
    public ParsedLine withArgument(final int index, final int length)
    {
        argument(index, length);
        return this;
    }

    /** Makes this view the error {@code error}, keeping the line it was parsed from. */
    public ParsedLine withError(final ErrorCode error)
    {
        return invalid(error);
    }

    ParsedLine invalid(final ErrorCode error)
    {
        this.command = Command.INVALID;
        this.error = error;
        return this;
    }

    /** Makes this view an error with no line behind it, for errors found by framing. */
    public ParsedLine asError(final ErrorCode error)
    {
        set(Command.INVALID, null, 0, 0);
        return invalid(error);
    }

    /** Makes this view a command without line or arguments, issued by the transport itself. */
    public ParsedLine asCommand(final Command command)
    {
        set(command, null, 0, 0);
        return this;
    }

    public Command command()
    {
        return command;
    }

    /** Why the line is {@link Command#INVALID}; null for a valid command. */
    public ErrorCode error()
    {
        return error;
    }

    /**
     * The buffer the indices refer to (the line lies at {@link #lineIndex()}); null for framing
     * errors.
     */
    public ByteBuf line()
    {
        return line;
    }

    /** Absolute index of the line's first byte in {@link #line()}, which may hold more lines. */
    public int lineIndex()
    {
        return lineIndex;
    }

    /** The line's length in bytes, without its line ending. */
    public int lineLength()
    {
        return lineLength;
    }

    /** Absolute index of the topic (NAME: the name) in {@link #line()}. */
    public int topicIndex()
    {
        return topicIndex;
    }

    /** Topic (NAME: name) length in bytes, 0 for commands without one. */
    public int topicLength()
    {
        return topicLength;
    }

    /** How a SUB or UNSUB topic is matched; {@link TopicMatch#EXACT} for every other command. */
    public TopicMatch match()
    {
        return match;
    }

    /** Absolute index of the PUB message, PING token or AUTH token in {@link #line()}. */
    public int argumentIndex()
    {
        return argumentIndex;
    }

    /** Length of the PUB message, PING token or AUTH token; -1 when the line has none. */
    public int argumentLength()
    {
        return argumentLength;
    }

    /**
     * Sets when the bytes that completed this line were read ({@link System#nanoTime()} on the
     * event loop, taken once per read); the transport sets it for every line it offers. Not reset
     * by parsing.
     */
    public void readAt(final long nanos)
    {
        readNanos = nanos;
    }

    /** When the line's last bytes were read, as set by {@link #readAt}; 0 if never set. */
    public long readNanos()
    {
        return readNanos;
    }

    /** Copies the topic (NAME: name) bytes into {@code destination} from index 0. */
    public void copyTopic(final byte[] destination)
    {
        line.getBytes(topicIndex, destination, 0, topicLength);
    }

    /**
     * A number the command's protocol attaches for its encoder and for the engine: HELLO's protocol
     * version, RAW's reply kind, an error's wording; 0 when unused.
     */
    public int detail()
    {
        return detail;
    }

    /** Whether the replies to this command are not to be sent (pushes are sent all the same). */
    public boolean silent()
    {
        return silent;
    }

    /** How many names NUMSUB lists; 0 for every other command. */
    public int nameCount()
    {
        return nameCount;
    }

    /** Absolute index in {@link #line()} of name {@code i} of {@link #nameCount()}. */
    public int nameIndex(final int i)
    {
        return nameIndexes[i];
    }

    /** Length of name {@code i} of {@link #nameCount()}. */
    public int nameLength(final int i)
    {
        return nameLengths[i];
    }
}
