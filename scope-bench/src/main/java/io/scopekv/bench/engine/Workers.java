package io.scopekv.bench.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that split a range of rows with the calling thread: part 0 runs on the
 * caller, parts 1.. on the workers. Workers spin briefly, then park, between calls, so a decode step
 * of many small products does not pay a park/unpark per product, and idle workers do not burn a
 * core. One range runs at a time; callers on other threads wait for it.
 */
final class Workers implements AutoCloseable {

    /** Work over rows {@code [from, to)}, as part {@code part} (0 is the calling thread). */
    @FunctionalInterface
    interface RangeTask {
        void run(int part, int from, int to);
    }

    private static final int SPINS = 2_000;

    private final int threads;
    private final Thread[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long generation;
    private volatile boolean closed;
    private volatile Thread caller;
    private RangeTask task;
    private int length;
    private int parts;
    private volatile Throwable failure;

    /** @param threads threads including the caller, at least 1 */
    Workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int part = i + 1;
            workers[i] = new Thread(() -> loop(part), "engine-worker-" + part);
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over {@code [0, n)} in at most {@code maxParts} contiguous parts of nearly
     * equal length, and returns when all are done.
     */
    void run(int n, int maxParts, RangeTask task) {
        int p = Math.max(1, Math.min(Math.min(threads, maxParts), n));
        if (p == 1) {
            task.run(0, 0, n);
            return;
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the engine's worker threads are closed");
            }
            this.task = task;
            this.length = n;
            this.parts = p;
            this.failure = null;
            this.caller = Thread.currentThread();
            pending.set(p - 1);
            generation++; // volatile write: publishes the fields above to the workers
            for (int i = 0; i < p - 1; i++) {
                LockSupport.unpark(workers[i]);
            }
            task.run(0, 0, end(0, n, p));
            int spins = 0;
            while (pending.get() != 0) {
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            this.task = null;
            Throwable f = failure;
            if (f != null) {
                throw new IllegalStateException("an engine worker failed: " + f, f);
            }
        }
    }

    private static int end(int part, int n, int parts) {
        return (int) ((long) n * (part + 1) / parts);
    }

    private void loop(int part) {
        long seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            if (part < parts) {
                try {
                    task.run(part, end(part - 1, length, parts), end(part, length, parts));
                } catch (Throwable t) {
                    failure = t;
                }
                if (pending.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
