package dev.topics.loadgen.run;

/**
 * Read by one publisher thread, fed by the subscriber threads that receive from it: how many
 * more messages the publisher may send in a max-rate run before its slowest receiver catches up.
 *
 * <p>Without this window a publisher faster than its subscribers fills the broker's output
 * buffers until the broker disconnects them as slow consumers, which measures the loadgen, not
 * the broker. Open-loop runs never use it: their schedule must not adapt.
 */
final class InFlightWindow
{
    private final int publisher;
    private final Subscriber[] receivers;
    private final long maxInFlight;

    InFlightWindow(final int publisher, final Subscriber[] receivers, final long maxInFlight)
    {
        this.publisher = publisher;
        this.receivers = receivers;
        this.maxInFlight = maxInFlight;
    }

    /** Messages that may still be sent, given {@code sent} so far; no receivers means unbounded. */
    long allowance(final long sent)
    {
        if (receivers.length == 0)
        {
            return Long.MAX_VALUE;
        }
        long slowest = Long.MAX_VALUE;
        for (final Subscriber receiver : receivers)
        {
            slowest = Math.min(slowest, receiver.receivedFrom(publisher));
        }
        return maxInFlight - (sent - slowest);
    }
}
