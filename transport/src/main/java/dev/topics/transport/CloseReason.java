package dev.topics.transport;

/**
 * Why a connection is being closed, as {@code CLIENTS} shows it ({@code closing=<word>}) between
 * the moment something decided to close it and the moment the engine forgets it.
 *
 * <p>Immutable; safe on any thread.
 */
public enum CloseReason
{
    /** The client sent {@code QUIT}; its {@code BYE} is being written. */
    QUIT("quit"),
    /** Its pending output passed {@code --max-pending}. */
    SLOW_CONSUMER("slow-consumer"),
    /** Cut to keep the broker within {@code --max-memory}: it held the most, or its output could not be allocated. */
    OUT_OF_MEMORY("out-of-memory"),
    /** It sent too many wrong tokens with {@code AUTH}. */
    AUTH_FAILED("auth-failed"),
    /** It sent nothing for {@code --idle-timeout}. */
    IDLE_TIMEOUT("idle-timeout"),
    /** A network, TLS or internal error on the connection. */
    ERROR("error"),
    /** The socket closed for another reason (usually the client left); the engine is about to forget it. */
    DISCONNECTED("disconnected");

    private final String word;

    CloseReason(final String word)
    {
        this.word = word;
    }

    /** The stable word shown in {@code CLIENTS}. */
    public String word()
    {
        return word;
    }
}
