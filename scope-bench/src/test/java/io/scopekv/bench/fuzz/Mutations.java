package io.scopekv.bench.fuzz;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Damaged copies of a valid file, and the rule every reader is held to: it returns, or it throws
 * one of the project's own exceptions with a message; never another exception, an error (an
 * OutOfMemoryError among them) or a hang.
 *
 * <p>Each jqwik try checks {@link #ROUNDS} inputs derived from its seed, so CI runs a few hundred
 * per reader in seconds and a long run ({@code -Dscopekv.fuzz.rounds=500}) the same properties
 * on a hundred thousand inputs each.
 */
final class Mutations {

    /** Inputs checked per jqwik try: 1 in CI, more for a long run. */
    static final int ROUNDS = Integer.getInteger("scopekv.fuzz.rounds", 1);

    /** Longer than any valid input of these sizes takes, short enough that a hang fails fast. */
    private static final Duration LIMIT = Duration.ofSeconds(10);

    private Mutations() {
    }

    /**
     * A damaged copy: 1 to 8 bytes overwritten (random values, or extremes that make a length or
     * count huge or negative), sometimes cut short, sometimes with bytes appended.
     */
    static byte[] mutate(byte[] valid, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] out = valid.clone();
        int edits = 1 + random.nextInt(8);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(out.length);
            out[at] = switch (random.nextInt(4)) {
                case 0 -> (byte) 0xFF;
                case 1 -> (byte) 0x7F;
                case 2 -> 0;
                default -> (byte) random.nextInt(256);
            };
        }
        return switch (random.nextInt(4)) {
            case 0 -> Arrays.copyOf(out, random.nextInt(out.length));
            case 1 -> Arrays.copyOf(out, out.length + 1 + random.nextInt(64));
            default -> out;
        };
    }

    /** What a reader may do with a damaged input. */
    enum Outcome { READ, REFUSED }

    /**
     * Runs {@code read} on its own thread and classifies the result.
     *
     * @throws AssertionError on any other exception, an exception without a message, an Error, or a hang
     */
    static Outcome check(String what, Callable<?> read, Class<?>... ownExceptions) {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz " + what);
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> result = thread.submit(read);
            try {
                result.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                return Outcome.READ;
            } catch (TimeoutException e) {
                result.cancel(true);
                throw new AssertionError(what + " did not finish within " + LIMIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                for (Class<?> own : ownExceptions) {
                    if (own.isInstance(cause)) {
                        if (cause.getMessage() == null || cause.getMessage().isBlank()) {
                            throw new AssertionError(what + " threw " + cause.getClass().getName() + " without a message", cause);
                        }
                        return Outcome.REFUSED;
                    }
                }
                throw new AssertionError(what + " threw " + cause, cause);
            }
        } finally {
            thread.shutdownNow();
        }
    }
}
