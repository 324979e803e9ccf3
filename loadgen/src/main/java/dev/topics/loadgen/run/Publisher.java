package dev.topics.loadgen.run;

import dev.topics.loadgen.adapter.BrokerConnection;
import dev.topics.loadgen.adapter.WireProtocol;
import org.HdrHistogram.SingleWriterRecorder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs on its own thread, the only writer of its connection: sends its streams' messages on an
 * open-loop {@link Schedule} (or as fast as the broker takes them, bounded by an in-flight
 * window) until the end of the run.
 *
 * <p>Every message due by "now" is encoded into one reused buffer and written with one call, so
 * a publisher that fell behind catches up in large batches and the messages keep their intended
 * times. Nothing is allocated per message: frame prefixes are encoded once per topic and the
 * payload header is patched in place.
 */
final class Publisher implements Runnable
{
    private static final int WRITE_BUFFER_BYTES = 64 * 1024;
    /** Max-rate runs: messages encoded per write before the in-flight window is checked again. */
    private static final int MAX_RATE_BATCH = 256;
    private static final long IN_FLIGHT_PARK_NS = 20_000;

    private final BrokerConnection connection;
    private final int[] streams;
    private final byte[][] prefixes;
    private final byte[] suffix;
    private final byte[] pong;
    private final int payloadBytes;
    private final Schedule schedule;
    private final long measureStartNs;
    private final long endNs;
    private final long spinNs;
    private final InFlightWindow inFlightWindow;
    private final SingleWriterRecorder sendLagRecorder;
    private final byte[] out;
    private final ByteBuffer outBuffer;
    /** Next sequence number per stream, advanced as messages are encoded. */
    private final long[] sequences;
    /** Messages per stream whose write completed: what counts as sent if a write fails midway. */
    private final long[] writtenSequences;
    private final AtomicInteger pongsOwed = new AtomicInteger();
    private final AtomicLong sentProgress = new AtomicLong();
    private volatile String failure;

    Publisher(
        final BrokerConnection connection,
        final Topology topology,
        final int publisher,
        final int payloadBytes,
        final Schedule schedule,
        final long measureStartNs,
        final long endNs,
        final long spinNs,
        final InFlightWindow inFlightWindow,
        final SingleWriterRecorder sendLagRecorder)
    {
        final WireProtocol protocol = connection.target().kind().protocol();
        this.connection = connection;
        this.streams = topology.streamsOf(publisher);
        this.prefixes = new byte[streams.length][];
        int largestFrame = 0;
        for (int i = 0; i < streams.length; i++)
        {
            prefixes[i] = protocol.publishPrefix(topology.topicName(topology.topicOf(streams[i])), payloadBytes);
            largestFrame = Math.max(largestFrame, prefixes[i].length + payloadBytes + 2 + 16);
        }
        this.suffix = protocol.publishSuffix();
        this.pong = protocol.pong();
        this.payloadBytes = payloadBytes;
        this.schedule = schedule;
        this.measureStartNs = measureStartNs;
        this.endNs = endNs;
        this.spinNs = spinNs;
        this.inFlightWindow = inFlightWindow;
        this.sendLagRecorder = sendLagRecorder;
        this.out = new byte[Math.max(WRITE_BUFFER_BYTES, 2 * largestFrame)];
        this.outBuffer = ByteBuffer.wrap(out);
        this.sequences = new long[streams.length];
        this.writtenSequences = new long[streams.length];
    }

    @Override
    public void run()
    {
        try
        {
            if (schedule == null)
            {
                runAtMaxRate();
            }
            else
            {
                runOnSchedule();
            }
        }
        catch (final IOException e)
        {
            failure = "publisher to " + connection.target() + ": " + e.getMessage();
        }
    }

    private void runOnSchedule() throws IOException
    {
        final long lastIndex = schedule.dueBy(endNs - 1);
        long next = 0;
        while (next < lastIndex)
        {
            final long nowNs = System.nanoTime();
            final long due = Math.min(schedule.dueBy(nowNs), lastIndex);
            if (due > next)
            {
                next = sendBatch(next, due, nowNs, true);
            }
            else
            {
                waitUntil(schedule.intendedNs(next), nowNs);
            }
        }
    }

    private void runAtMaxRate() throws IOException
    {
        long next = 0;
        long nowNs = System.nanoTime();
        while (nowNs < endNs)
        {
            final long allowed = inFlightWindow.allowance(next);
            if (allowed > 0)
            {
                next = sendBatch(next, next + Math.min(allowed, MAX_RATE_BATCH), nowNs, false);
            }
            else
            {
                LockSupport.parkNanos(IN_FLIGHT_PARK_NS);
            }
            nowNs = System.nanoTime();
        }
    }

    /** Encodes messages {@code first} .. {@code due - 1} (as many as fit) and writes them at once. */
    private long sendBatch(
        final long first,
        final long due,
        final long nowNs,
        final boolean scheduled) throws IOException
    {
        int position = encodeOwedPongs();
        long index = first;
        while (index < due)
        {
            final int local = (int) (index % streams.length);
            final byte[] prefix = prefixes[local];
            if (position + prefix.length + payloadBytes + suffix.length > out.length)
            {
                break;
            }
            final long intendedNs = scheduled ? schedule.intendedNs(index) : nowNs;
            position = encode(position, local, intendedNs);
            if (scheduled && intendedNs >= measureStartNs)
            {
                sendLagRecorder.recordValue(Histograms.clamp(nowNs - intendedNs));
            }
            index++;
        }
        outBuffer.clear().limit(position);
        connection.writeFully(outBuffer);
        System.arraycopy(sequences, 0, writtenSequences, 0, sequences.length);
        sentProgress.lazySet(index);
        return index;
    }

    private int encode(final int position, final int local, final long intendedNs)
    {
        final byte[] prefix = prefixes[local];
        System.arraycopy(prefix, 0, out, position, prefix.length);
        final int payloadOffset = position + prefix.length;
        PayloadCodec.writeHeader(out, payloadOffset, streams[local], sequences[local]++, intendedNs);
        PayloadCodec.writePadding(out, payloadOffset, payloadBytes);
        final int suffixOffset = payloadOffset + payloadBytes;
        System.arraycopy(suffix, 0, out, suffixOffset, suffix.length);
        return suffixOffset + suffix.length;
    }

    private int encodeOwedPongs()
    {
        int position = 0;
        // Bounded: a server pings at most every few seconds.
        for (int owed = pongsOwed.get(); owed > 0 && position + pong.length <= out.length / 2; owed--)
        {
            System.arraycopy(pong, 0, out, position, pong.length);
            position += pong.length;
            pongsOwed.decrementAndGet();
        }
        return position;
    }

    /** Parks for most of a long wait and spins the last {@code spinNs}, to send on time cheaply. */
    private void waitUntil(final long targetNs, final long nowNs)
    {
        final long waitNs = targetNs - nowNs;
        final long spinForNs = Math.min(spinNs, schedule.intervalNs() / 4);
        if (waitNs > spinForNs)
        {
            LockSupport.parkNanos(waitNs - spinForNs);
        }
        else
        {
            Thread.onSpinWait();
        }
    }

    /** Called by this connection's reply reader when the server pinged (NATS). */
    void owePong()
    {
        pongsOwed.incrementAndGet();
    }

    /** Messages written so far; any thread, for progress. */
    long sentSoFar()
    {
        return sentProgress.get();
    }

    /**
     * Messages fully written on each of {@link #streams()}; read after this thread ended. A batch
     * whose write failed is not counted, so a broker that stopped reading is not blamed for loss.
     */
    long[] sentPerLocalStream()
    {
        return writtenSequences;
    }

    int[] streams()
    {
        return streams;
    }

    String failure()
    {
        return failure;
    }
}
