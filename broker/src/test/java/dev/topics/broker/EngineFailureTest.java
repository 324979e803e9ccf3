package dev.topics.broker;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import dev.topics.broker.egress.OutboundEvent;
import dev.topics.broker.egress.OutboundType;
import dev.topics.broker.egress.WriterProxy;
import dev.topics.broker.engine.Engine;
import dev.topics.broker.engine.StatsSource;
import dev.topics.broker.report.EngineSnapshot;
import dev.topics.broker.report.FieldSink;
import dev.topics.broker.ingress.InboundEvent;
import dev.topics.transport.Session;
import dev.topics.transport.codec.Command;
import dev.topics.transport.codec.ErrorCode;
import dev.topics.transport.codec.Replies;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An exception in the engine is logged, counted and answered {@code ERR internal}, and the engine
 * carries on with the next command: the real engine on a real inbound ring, with the broker's
 * exception handler, in both placements (its own thread, and polled by an event loop).
 */
class EngineFailureTest
{
    @ParameterizedTest
    @EnumSource(value = EnginePlacement.class, names = {"DEDICATED", "IO"})
    void shouldAnswerInternalErrorAndKeepTheEngineRunning(final EnginePlacement placement) throws Exception
    {
        final RingBuffer<OutboundEvent> outbound = RingBuffer.createSingleProducer(OutboundEvent::new, 64);
        final WriterProxy writers = new WriterProxy(outbound, 1, shard -> { }, () -> { });
        final LongAdder errors = new LongAdder();
        final Engine engine = new Engine(writers, new FailingStats(errors), Integer.MAX_VALUE, Integer.MAX_VALUE, BrokerConfig.ROUTE_CACHE_TOPICS_DEFAULT);
        final LoggingExceptionHandler<InboundEvent> onFailure = new LoggingExceptionHandler<>(
            "engine", errors, event -> TopicsBroker.answerFailedCommand(event, writers));
        final DefaultEventLoop loop = new DefaultEventLoop();
        final RingBuffer<InboundEvent> inbound;
        final EngineRunner runner;
        if (placement == EnginePlacement.IO)
        {
            inbound = RingBuffer.createSingleProducer(() -> new InboundEvent(16), 64, new BusySpinWaitStrategy());
            runner = new EventLoopEngine(inbound, loop, engine, writers, onFailure);
        }
        else
        {
            inbound = RingBuffer.createMultiProducer(() -> new InboundEvent(16), 64, new BlockingWaitStrategy());
            runner = new DedicatedEngine(inbound, Executors.defaultThreadFactory(), engine, onFailure);
        }
        runner.start();
        try
        {
            final Session session = new Session(1, new EmbeddedChannel(), 0, Replies.TEXT);
            publish(inbound, runner, Command.CONNECT, session);
            publish(inbound, runner, Command.STATS, session);
            inbound.publishEvent((event, sequence) ->
            {
                event.command = Command.PING;
                event.session = session;
                event.payload = Unpooled.copiedBuffer("PONG\r\n", StandardCharsets.US_ASCII);
            });
            runner.wakeUp();

            for (int i = 0; i < 10_000 && outbound.getCursor() < 1; i++)
            {
                LockSupport.parkNanos(1_000_000);
            }
            // No half-built STATS line: the failure happens before anything is sent, then ERR internal.
            assertEquals(1, outbound.getCursor(), "exactly two lines were sent");
            final OutboundEvent failed = outbound.get(outbound.getCursor() - 1);
            assertEquals(OutboundType.ERROR, failed.type);
            assertEquals(ErrorCode.INTERNAL, failed.error());
            final OutboundEvent pong = outbound.get(outbound.getCursor());
            assertEquals(OutboundType.REPLY, pong.type);
            assertEquals(Command.PING, pong.command, "the engine carried on with the next command");
            assertEquals("PONG\r\n", pong.payload.toString(StandardCharsets.US_ASCII));
            pong.payload.release();
            assertEquals(1, errors.sum(), "the failure was counted");

            // A metrics request that fails the same way is refused at once: its HTTP thread answers
            // 503 now instead of after its timeout, and no client is sent anything.
            final EngineSnapshot snapshot = new EngineSnapshot(false);
            inbound.publishEvent((event, sequence) ->
            {
                event.command = Command.SNAPSHOT;
                event.snapshot = snapshot;
            });
            runner.wakeUp();
            final long askedNs = System.nanoTime();
            assertFalse(snapshot.await(10_000), "refused");
            assertTrue(System.nanoTime() - askedNs < TimeUnit.SECONDS.toNanos(5), "without waiting for the timeout");
            assertEquals(2, errors.sum(), "the failure was counted");
            assertEquals(1, outbound.getCursor(), "nothing was sent for it");
        }
        finally
        {
            assertTrue(runner.stop(5_000), "the engine stops and runs its shutdown on its own thread");
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void publish(
        final RingBuffer<InboundEvent> inbound, final EngineRunner runner, final Command type, final Session session)
    {
        inbound.publishEvent((event, sequence) ->
        {
            event.command = type;
            event.session = session;
        });
        runner.wakeUp();
    }

    /** STATS that always fails while the engine builds its line. Called on the engine's thread. */
    private static final class FailingStats implements StatsSource
    {
        private final LongAdder errors;

        FailingStats(final LongAdder errors)
        {
            this.errors = errors;
        }

        @Override
        public long internalErrors()
        {
            return errors.sum();
        }

        @Override
        public long slowConsumerDisconnects()
        {
            return 0;
        }

        @Override
        public void appendTo(final FieldSink fields)
        {
            throw new IllegalStateException("deliberate failure while answering STATS");
        }
    }
}
