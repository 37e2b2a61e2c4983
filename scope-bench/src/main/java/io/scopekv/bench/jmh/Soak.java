package io.scopekv.bench.jmh;

import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.engine.LlamaSession;
import io.scopekv.bench.mini.MiniModel;
import io.scopekv.bench.train.MiniTask;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak run: sequences opened, prefilled, decoded and closed one after another on the shipped
 * model through the engine and a compressing cache, logging the process's resident set, the heap
 * in use after a collection, and JavaCPP's off-heap bytes every 100 sequences. All three must stay
 * flat after the warm-up: nothing a sequence allocates may outlive it. Defaults: 1,000 sequences
 * of 100 decode steps each, 100,000 steps in all. Usage:
 * {@code java -cp scope-bench.jar io.scopekv.bench.jmh.Soak [sequences] [steps per sequence] [spec]}.
 */
public final class Soak {
    private static final Logger LOG = LoggerFactory.getLogger(Soak.class);
    private static final int WARM_UP = 50;

    private Soak() {
    }

    /** One reading of the process's memory. */
    private record Reading(long residentKiB, long heapUsedBytes, long offHeapBytes) {
        static Reading now() throws IOException {
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            return new Reading(readResidentKiB(), heap, Pointer.totalBytes());
        }

        String describe() {
            return String.format(Locale.ROOT, "RSS %.1f MiB, heap used %.1f MiB, JavaCPP off-heap %.1f MiB",
                    residentKiB / 1024.0, heapUsedBytes / (double) (1 << 20), offHeapBytes / (double) (1 << 20));
        }
    }

    public static void main(String[] args) throws IOException {
        int sequences = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        String spec = args.length > 2 ? args[2] : "prefill=full,decoding=slide(W=46,R=23)";
        try (MiniModel model = MiniModel.embedded()) {
            if (steps > model.task().responseLength()) {
                throw new IllegalArgumentException("at most " + model.task().responseLength() + " steps per sequence fit "
                        + "the shipped model's context");
            }
            Reading start = null;
            long decoded = 0;
            long begin = System.nanoTime();
            for (int s = 0; s < sequences; s++) {
                MiniTask task = MiniTask.eval(model.task(), s);
                try (LlamaSession session = LlamaSession.open(model.model(), spec, AttentionPath.CACHE)) {
                    float[] logits = session.prefill(task.prompt());
                    for (int i = 0; i < steps; i++) {
                        logits = session.decode(argmax(logits));
                        decoded++;
                    }
                }
                if (s + 1 == Math.min(WARM_UP, sequences)) {
                    start = Reading.now();
                    LOG.info("after {} sequences (warm-up): {}", s + 1, start.describe());
                } else if ((s + 1) % 100 == 0) {
                    LOG.info("after {} sequences, {} decode steps: {}", s + 1, decoded, Reading.now().describe());
                }
            }
            Reading end = Reading.now();
            LOG.info(String.format(Locale.ROOT, "soak done: %d sequences opened and closed, %d decode steps in %.0f s; "
                            + "end: %s; change since the warm-up: RSS %+.1f MiB, heap %+.1f MiB, off-heap %+.1f MiB",
                    sequences, decoded, (System.nanoTime() - begin) / 1e9, end.describe(),
                    (end.residentKiB() - start.residentKiB()) / 1024.0,
                    (end.heapUsedBytes() - start.heapUsedBytes()) / (double) (1 << 20),
                    (end.offHeapBytes() - start.offHeapBytes()) / (double) (1 << 20)));
        }
    }

    private static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        return best;
    }

    private static long readResidentKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
