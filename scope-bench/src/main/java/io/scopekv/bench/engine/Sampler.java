package io.scopekv.bench.engine;

import java.util.Arrays;
import java.util.Random;

/**
 * Picks the next token from logits: greedy (temperature 0) or temperature sampling restricted to
 * the smallest set of tokens whose probability reaches {@code topP} (nucleus sampling), seeded so
 * that a run is reproducible.
 *
 * @param temperature 0 for greedy, otherwise the softmax temperature
 * @param topP        nucleus mass in (0, 1]; 1 samples from the whole distribution
 * @param seed        seed of the sampling random source
 */
public record Sampler(float temperature, float topP, long seed) {

    public Sampler {
        if (!(temperature >= 0) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, was " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], was " + topP);
        }
    }

    public static Sampler greedy() {
        return new Sampler(0f, 1f, 0L);
    }

    public boolean isGreedy() {
        return temperature == 0f;
    }

    /** A stateful picker for one generation. */
    public Picker picker() {
        return new Picker(this, new Random(seed));
    }

    /** Draws tokens with one random stream; one picker per generation. */
    public static final class Picker {
        private final Sampler sampler;
        private final Random random;

        private Picker(Sampler sampler, Random random) {
            this.sampler = sampler;
            this.random = random;
        }

        /** The next token; {@code logits} is not modified. */
        public int next(float[] logits) {
            if (sampler.isGreedy()) {
                return argmax(logits);
            }
            double max = logits[argmax(logits)];
            double[] p = new double[logits.length];
            double sum = 0;
            for (int i = 0; i < logits.length; i++) {
                p[i] = Math.exp((logits[i] - max) / sampler.temperature);
                sum += p[i];
            }
            Integer[] order = new Integer[logits.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
                p[i] /= sum;
            }
            Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
            int kept = 0;
            double mass = 0;
            while (kept < order.length && mass < sampler.topP) {
                mass += p[order[kept++]];
            }
            double draw = random.nextDouble() * mass;
            for (int i = 0; i < kept; i++) {
                draw -= p[order[i]];
                if (draw <= 0) {
                    return order[i];
                }
            }
            return order[kept - 1];
        }
    }

    /** Index of the largest logit; the lowest index wins ties. */
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
