package dev.topics.transport.resp;

/**
 * How Redis words a {@code BAD_ARGUMENTS} refusal: the convention between {@link RespFrontEnd} (in)
 * and {@link RespEncoder} (out). The refused command's {@code ParsedLine.detail()} is
 * {@link #detail(RespCommand)}: the {@link RespCommand}'s ordinal in the low byte and this wording's
 * ordinal in the next byte, so {@code detail = command.ordinal()} alone means
 * {@link #WRONG_NUMBER}. A wording that quotes an argument ({@link #HELLO_OPTION}) is rendered when
 * the line is read, from {@code ParsedLine.argument}, as the command's payload.
 *
 * <p>Each text is Redis 7.0.15's, without the leading {@code -} and the line ending.
 *
 * <p>Immutable; safe on any thread.
 */
public enum RespArgumentError
{
    /** {@code ERR wrong number of arguments for '<fullname>' command}. */
    WRONG_NUMBER("ERR wrong number of arguments for '%s' command"),
    /** A container sent without a subcommand ({@code CLIENT}): named without its subcommand. */
    CONTAINER_ALONE("ERR wrong number of arguments for '%s' command"),
    /** SELECT with a number, other than 0, that Redis would refuse or we do not have. */
    DB_INDEX_OUT_OF_RANGE("ERR DB index is out of range"),
    /** SELECT with something that is not a number. */
    NOT_AN_INTEGER("ERR value is not an integer or out of range"),
    /** An option not taken: CLIENT REPLY, FLUSHALL, CLIENT LIST. */
    SYNTAX("ERR syntax error"),
    /** HELLO with a version other than 2 or 3 (also how the engine's refusal of a HELLO is worded). */
    NO_PROTOCOL("NOPROTO unsupported protocol version"),
    /** HELLO whose version is not a number. */
    PROTOCOL_VERSION_NOT_INTEGER("ERR Protocol version is not an integer or out of range"),
    /** HELLO with an option it does not know, quoted from the line's argument. */
    HELLO_OPTION("ERR Syntax error in HELLO option '%s'"),
    /** FUNCTION FLUSH with a mode other than ASYNC or SYNC. */
    FUNCTION_FLUSH_MODE("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");

    private final String format;

    RespArgumentError(final String format)
    {
        this.format = format;
    }

    /** The detail of a command refused with this wording. */
    public int detail(final RespCommand command)
    {
        return command.ordinal() | (ordinal() << 8);
    }

    /** The wording of {@code detail}. */
    public static RespArgumentError of(final int detail)
    {
        final int index = (detail >>> 8) & 0xFF;
        final RespArgumentError[] all = values();
        return index < all.length ? all[index] : WRONG_NUMBER;
    }

    /** The reply text, without the leading {@code -} and CRLF, for {@code command} or the quoted {@code argument}. */
    String text(final String quoted)
    {
        return format.contains("%s") ? format.replace("%s", quoted) : format;
    }

    /** Whether the text quotes an argument of the line, so it is rendered as the line is read. */
    boolean quotesArgument()
    {
        return this == HELLO_OPTION;
    }
}
