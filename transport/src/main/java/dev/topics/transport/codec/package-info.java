/**
 * The text protocol: the in-place {@link dev.topics.transport.codec.LineParser} filling a reusable
 * {@link dev.topics.transport.codec.ParsedLine}, the protocol-neutral
 * {@link dev.topics.transport.codec.Command}s and {@link dev.topics.transport.codec.ErrorCode}s,
 * and the {@link dev.topics.transport.codec.ReplyEncoder} that turns the engine's replies into
 * bytes. A second wire protocol would add a parser and an encoder here and change nothing else.
 *
 * <p>Threads: everything here is stateless or immutable and safe on any thread, except a
 * {@code ParsedLine}, which is owned by one channel's event-loop thread and valid only until its
 * next parse.
 */
package dev.topics.transport.codec;
