package dev.topics.loadgen.run;

import java.io.PrintStream;

/**
 * Owned by the run's coordinating thread: the progress line on the terminal while a run goes.
 * On a terminal one line is rewritten in place; otherwise (a log, CI) a line is printed only
 * every few updates so logs stay short.
 */
public final class ProgressPrinter
{
    private static final int LINES_EVERY_UPDATES = 5;

    private final PrintStream out;
    private final boolean terminal;
    private int updates;
    private int lastLength;

    public ProgressPrinter(final PrintStream out, final boolean terminal)
    {
        this.out = out;
        this.terminal = terminal;
    }

    /** For the command line: rewrite in place when stderr is a terminal. */
    public static ProgressPrinter forConsole()
    {
        return new ProgressPrinter(System.err, System.console() != null);
    }

    public void update(final String line)
    {
        if (terminal)
        {
            out.print('\r' + line + " ".repeat(Math.max(0, lastLength - line.length())));
            lastLength = line.length();
            out.flush();
        }
        else if (updates++ % LINES_EVERY_UPDATES == 0)
        {
            out.println(line);
        }
    }

    /** Clears the in-place line before the next output. */
    public void finish()
    {
        if (terminal && lastLength > 0)
        {
            out.print('\r' + " ".repeat(lastLength) + '\r');
            out.flush();
            lastLength = 0;
        }
        updates = 0;
    }
}
