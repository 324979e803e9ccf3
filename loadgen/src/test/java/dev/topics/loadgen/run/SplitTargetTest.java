package dev.topics.loadgen.run;

import dev.topics.loadgen.PeerServer;
import dev.topics.loadgen.adapter.Target;
import dev.topics.loadgen.adapter.TargetKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A target split over nodes that do not form one cluster: setup must fail, bounded, not measure. */
class SplitTargetTest
{
    private static final long MS = 1_000_000L;

    @Test
    void shouldFailSetupWhenSubscribersAreOnANodeThePublishersNeverReach() throws Exception
    {
        try (PeerServer publishersNode = PeerServer.nats(); PeerServer unroutedNode = PeerServer.nats())
        {
            final Target split = new Target(TargetKind.NATS, "nats-unrouted", publishersNode.address(),
                List.of(publishersNode.address(), unroutedNode.address()));
            final RunSpec spec = new RunSpec("fanout", "", split, 1, 2, 1, false, 64, 1_000, 0, 200 * MS, 500, 0,
                20_000, List.of(), 300 * MS, 300 * MS);

            final IOException failure = assertThrows(IOException.class,
                () -> new LoadRun(spec, new ProgressPrinter(new PrintStream(OutputStream.nullOutputStream()), false))
                    .execute());

            assertTrue(failure.getMessage().contains("1 of 2 subscribers"), failure.getMessage());
            assertTrue(failure.getMessage().contains("did not reach the publishers' node"), failure.getMessage());
        }
    }
}
