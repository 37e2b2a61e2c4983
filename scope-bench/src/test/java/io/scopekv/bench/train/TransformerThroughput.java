package io.scopekv.bench.train;

import java.util.SplittableRandom;

/**
 * Single-threaded training throughput of {@link Transformer#lossAndGradient}: not a test, a main
 * to compare implementations. Arguments: sequence length (default 320), seconds (default 10),
 * then optionally dim, layers, heads, kvHeads, ffnDim (default 64 2 4 2 176). Prints tokens per
 * second and a gradient checksum, so runs of two builds can be compared for speed and agreement.
 */
public final class TransformerThroughput {

    private TransformerThroughput() {
    }

    public static void main(String[] args) {
        int length = arg(args, 0, 320);
        int seconds = arg(args, 1, 10);
        ModelConfig config = ModelConfig.of(arg(args, 2, 64), arg(args, 3, 2), arg(args, 4, 4), arg(args, 5, 2),
                arg(args, 6, 176), Math.max(length, 512));
        ParamLayout layout = new ParamLayout(config);
        Transformer model = new Transformer(layout);
        Transformer.Weights w = model.weights(layout.initialize(1));
        SplittableRandom random = new SplittableRandom(2);
        int[] tokens = new int[length + 1];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = random.nextInt(config.vocabSize());
        }
        float[] grad = new float[layout.size()];
        model.lossAndGradient(w, tokens, length / 2, grad, 1f);
        double checksum = 0;
        for (float g : grad) {
            checksum += Math.abs(g);
        }
        long deadline = System.nanoTime() + seconds * 1_000_000_000L / 4;
        while (System.nanoTime() < deadline) {
            model.lossAndGradient(w, tokens, length / 2, new float[layout.size()], 1f);
        }
        long start = System.nanoTime();
        long calls = 0;
        deadline = start + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            model.lossAndGradient(w, tokens, length / 2, new float[layout.size()], 1f);
            calls++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("length %d: %.0f tokens/s, gradient |sum| %.6f%n", length, calls * length / elapsed, checksum);
    }

    private static int arg(String[] args, int index, int fallback) {
        return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }
}
