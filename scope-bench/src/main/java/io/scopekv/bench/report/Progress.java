package io.scopekv.bench.report;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar with ETA on a console stream. Stays silent for the first
 * {@link #QUIET_MILLIS} so short runs print nothing, and redraws at most every 200 ms.
 */
public final class Progress implements AutoCloseable {
    static final long QUIET_MILLIS = 2000;
    private static final int WIDTH = 30;

    private final String task;
    private final long total;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    /**
     * @param task  what is running, e.g. {@code sweep}
     * @param total units of work (steps)
     * @param out   where to draw, usually {@code System.err}
     */
    public Progress(String task, long total, PrintStream out) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0, was " + total);
        }
        this.task = task;
        this.total = total;
        this.out = out;
    }

    /** Reports {@code done} units finished. */
    public void update(long done) {
        long now = System.nanoTime();
        long elapsedMs = (now - start) / 1_000_000;
        if (elapsedMs < QUIET_MILLIS || (now - lastDraw) / 1_000_000 < 200 && done < total) {
            return;
        }
        lastDraw = now;
        drawn = true;
        out.print('\r' + line(done, elapsedMs));
        out.flush();
    }

    /** The bar for {@code done} units after {@code elapsedMs}. */
    String line(long done, long elapsedMs) {
        double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        long etaSeconds = done == 0 ? -1 : Math.round(elapsedMs / 1000.0 * (total - done) / done);
        return String.format(Locale.ROOT, "%s [%s%s] %3d%% %d/%d ETA %s ", task, "#".repeat(filled),
                "-".repeat(WIDTH - filled), Math.round(fraction * 100), done, total,
                etaSeconds < 0 ? "--:--" : String.format(Locale.ROOT, "%d:%02d", etaSeconds / 60, etaSeconds % 60));
    }

    /** Ends the line if a bar was drawn; idempotent. */
    @Override
    public void close() {
        if (drawn) {
            drawn = false;
            out.println();
            out.flush();
        }
    }
}
