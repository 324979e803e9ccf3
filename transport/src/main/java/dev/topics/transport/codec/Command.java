package dev.topics.transport.codec;

/**
 * The commands a client line can carry, as recognised by {@link LineParser}.
 *
 * <p>Immutable; safe on any thread. {@link #INVALID} is a parsed value, not an exception: the line
 * was not a valid command and {@link ParsedLine#error()} says why.
 */
public enum Command
{
    SUB, UNSUB, PUB, GET, PING, STATS, HELP, QUIT, AUTH, INVALID
}
