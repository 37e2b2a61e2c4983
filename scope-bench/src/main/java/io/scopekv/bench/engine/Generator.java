package io.scopekv.bench.engine;

import java.util.Arrays;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Generates a continuation of a prompt in a {@link LlamaSession}, reporting speed through SLF4J. */
public final class Generator {

    private static final Logger LOG = LoggerFactory.getLogger(Generator.class);

    /**
     * What to generate.
     *
     * @param maxNewTokens the most tokens to generate (the stop token included)
     * @param minNewTokens stop tokens are suppressed until this many tokens were generated
     * @param sampler      greedy or seeded sampling
     * @param stopTokens   token ids that end generation (EOS, end-of-turn); the stop token is kept
     *                     in the output
     */
    public record Options(int maxNewTokens, int minNewTokens, Sampler sampler, Set<Integer> stopTokens) {
        public Options {
            if (maxNewTokens < 1) {
                throw new IllegalArgumentException("maxNewTokens must be at least 1, was " + maxNewTokens);
            }
            if (minNewTokens < 0 || minNewTokens > maxNewTokens) {
                throw new IllegalArgumentException("minNewTokens must be in [0, maxNewTokens=" + maxNewTokens + "], was "
                        + minNewTokens);
            }
            if (sampler == null) {
                throw new IllegalArgumentException("sampler must not be null");
            }
            stopTokens = Set.copyOf(stopTokens);
        }
    }

    /**
     * The outcome of one generation.
     *
     * @param tokens        generated token ids
     * @param stoppedByToken whether a stop token ended it (otherwise the token limit did)
     * @param promptTokens  prompt length
     * @param prefillNanos  time of the prompt's prefill, including the first token's logits
     * @param decodeNanos   time of all decode steps
     */
    public record Result(int[] tokens, boolean stoppedByToken, int promptTokens, long prefillNanos, long decodeNanos) {
        public Result {
            tokens = tokens.clone();
        }

        @Override
        public int[] tokens() {
            return tokens.clone();
        }

        /** Prompt tokens per second of prefill. */
        public double prefillTokensPerSecond() {
            return promptTokens / (prefillNanos / 1e9);
        }

        /** Generated tokens per second of decoding; the first token comes from prefill, so it is not counted. */
        public double decodeTokensPerSecond() {
            return tokens.length <= 1 ? 0 : (tokens.length - 1) / (decodeNanos / 1e9);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && Arrays.equals(tokens, r.tokens) && stoppedByToken == r.stoppedByToken
                    && promptTokens == r.promptTokens && prefillNanos == r.prefillNanos && decodeNanos == r.decodeNanos;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(tokens) * 31 + promptTokens;
        }

        @Override
        public String toString() {
            return "Result[" + tokens.length + " tokens, stoppedByToken=" + stoppedByToken + ", prompt=" + promptTokens + "]";
        }
    }

    private Generator() {
    }

    /** Prefills {@code prompt} into a fresh session and generates up to {@code options.maxNewTokens()} tokens. */
    public static Result generate(LlamaSession session, int[] prompt, Options options) {
        if (prompt.length + options.maxNewTokens() - 1 > session.model().config().contextLength()) {
            throw new IllegalArgumentException("prompt of " + prompt.length + " tokens plus " + options.maxNewTokens()
                    + " new tokens exceeds the model's context length " + session.model().config().contextLength());
        }
        Sampler.Picker picker = options.sampler().picker();
        long t0 = System.nanoTime();
        float[] logits = session.prefill(prompt);
        long t1 = System.nanoTime();
        int[] out = new int[options.maxNewTokens()];
        int n = 0;
        boolean stopped = false;
        while (true) {
            if (n < options.minNewTokens()) {
                for (int stop : options.stopTokens()) {
                    if (stop >= 0 && stop < logits.length) {
                        logits[stop] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
            int token = picker.next(logits);
            out[n++] = token;
            if (options.stopTokens().contains(token)) {
                stopped = true;
                break;
            }
            if (n == options.maxNewTokens()) {
                break;
            }
            logits = session.decode(token);
        }
        long t2 = System.nanoTime();
        Result result = new Result(Arrays.copyOf(out, n), stopped, prompt.length, t1 - t0, t2 - t1);
        LOG.debug("prefill {} tokens in {} ms ({} tok/s); decoded {} tokens in {} ms ({} tok/s){}",
                prompt.length, (t1 - t0) / 1_000_000, String.format("%.1f", result.prefillTokensPerSecond()),
                n, (t2 - t1) / 1_000_000, String.format("%.2f", result.decodeTokensPerSecond()),
                stopped ? ", stopped by token " + out[n - 1] : "");
        return result;
    }
}
