package dev.topics.broker.report;

/**
 * One connection as {@code CLIENTS} shows it, copied out of the engine's and the event loop's
 * records at one moment. docs/protocol.md ("CLIENTS and NAME") says what each value means.
 *
 * <p>Immutable once built (on the engine thread); safe to hand to any thread.
 *
 * @param name    what the connection set with NAME, one char per byte; empty if none.
 * @param closing why it is being closed ({@code CloseReason} word), empty while it is open.
 */
public record ClientRecord(
    long id,
    String addr,
    String name,
    long ageS,
    long idleS,
    long subscriptions,
    long patterns,
    long pendingBytes,
    long msgsIn,
    long bytesIn,
    long msgsOut,
    long bytesOut,
    String closing)
{
    /** Lists the values in the order of a CLIENTS line, under the keys it uses. */
    public void writeTo(final FieldSink fields)
    {
        fields.number("id", id);
        fields.text("addr", addr);
        fields.text("name", name);
        fields.number("age_s", ageS);
        fields.number("idle_s", idleS);
        fields.number("subscriptions", subscriptions);
        fields.number("patterns", patterns);
        fields.number("pending_bytes", pendingBytes);
        fields.number("msgs_in", msgsIn);
        fields.number("bytes_in", bytesIn);
        fields.number("msgs_out", msgsOut);
        fields.number("bytes_out", bytesOut);
        fields.text("closing", closing);
    }
}
