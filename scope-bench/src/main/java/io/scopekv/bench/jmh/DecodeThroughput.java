package io.scopekv.bench.jmh;

import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.engine.LlamaModel;
import io.scopekv.bench.engine.LlamaSession;
import io.scopekv.bench.engine.RandomModel;
import io.scopekv.bench.gguf.GgmlType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decode tokens/s of the GGUF engine on a random-weight model as the context grows, with the full
 * cache and with compression. A short prompt is followed by up to the largest mark of generated
 * tokens (fed back as random token ids, so sampling costs nothing); tokens/s is averaged over the
 * {@code window} steps ending at each mark (1K, 4K, 8K of context by default).
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp scope-bench.jar
 * io.scopekv.bench.jmh.DecodeThroughput [dim layers heads kvHeads ffn vocab] [policy ...]}.
 */
public final class DecodeThroughput {
    private static final Logger LOG = LoggerFactory.getLogger(DecodeThroughput.class);
    private static final int[] MARKS = {1024, 4096, 8192};
    private static final int PROMPT = 64;
    private static final int WINDOW = 256;

    private DecodeThroughput() {
    }

    public static void main(String[] args) throws IOException {
        int[] shape = {512, 4, 8, 2, 1536, 4096};
        List<String> policies = new ArrayList<>(List.of("prefill=full", "prefill=full,decoding=slide(W=512,R=256)"));
        if (args.length >= 6) {
            for (int i = 0; i < 6; i++) {
                shape[i] = Integer.parseInt(args[i]);
            }
            if (args.length > 6) {
                policies = List.of(args).subList(6, args.length);
            }
        }
        int maxMark = MARKS[MARKS.length - 1];
        RandomModel spec = RandomModel.llama(shape[2], shape[3], GgmlType.F32)
                .withShape(shape[0], shape[1], shape[2], shape[3], shape[4], shape[5], maxMark + PROMPT);
        Path dir = Files.createTempDirectory("scope-throughput");
        Path file = spec.write(dir);
        try (LlamaModel model = LlamaModel.load(file)) {
            for (String policy : policies) {
                double[] rates = run(model, policy, maxMark);
                StringBuilder line = new StringBuilder(String.format("%-44s", policy));
                for (int m = 0; m < MARKS.length; m++) {
                    line.append(String.format("  %5d: %6.1f tok/s", MARKS[m], rates[m]));
                }
                LOG.info(line.toString());
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static double[] run(LlamaModel model, String policy, int maxMark) {
        SplittableRandom random = new SplittableRandom(5);
        int vocab = model.config().vocabSize();
        int[] prompt = new int[PROMPT];
        for (int i = 0; i < PROMPT; i++) {
            prompt[i] = random.nextInt(vocab);
        }
        double[] rates = new double[MARKS.length];
        try (LlamaSession session = LlamaSession.open(model, policy, AttentionPath.CACHE)) {
            session.prefill(prompt);
            long windowStart = 0;
            int mark = 0;
            for (int context = PROMPT + 1; context <= maxMark && mark < MARKS.length; context++) {
                if (context == MARKS[mark] - WINDOW) {
                    windowStart = System.nanoTime();
                }
                session.decode(random.nextInt(vocab));
                if (context == MARKS[mark]) {
                    rates[mark++] = WINDOW / ((System.nanoTime() - windowStart) / 1e9);
                }
            }
            LOG.info("{}: {}", policy, session.cache().stats());
        }
        return rates;
    }
}
