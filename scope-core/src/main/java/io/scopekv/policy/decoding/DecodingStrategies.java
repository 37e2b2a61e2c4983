package io.scopekv.policy.decoding;

import io.scopekv.policy.BudgetSchedule;
import io.scopekv.policy.Cadence;
import io.scopekv.policy.Candidates;
import io.scopekv.policy.DecodingStrategy;

/**
 * The decoding strategies of the SCOPE paper and the unified baselines, each a combination of a
 * sliding heavy-hitter selector with a memory manager (budget schedule + cadence).
 *
 * <p>Symbols: W decoding budget, R recent window (always kept), T maximum new tokens,
 * delta = (T - R) / (W - R) with integer division.
 */
public final class DecodingStrategies {

    private DecodingStrategies() {
    }

    /** Keep every decoding token (prefill-only compression, or the full cache). */
    public static DecodingStrategy none() {
        return new DecodingStrategy("none", Candidates.NONE, new BudgetSchedule.Unbounded(),
                new Cadence.EveryStep(), 0, new CurrentAttention());
    }

    /**
     * SCOPE Slide: on every step with at least W decoding tokens, keep the top W - R of the
     * decoding tokens older than the R most recent, plus those R.
     */
    public static DecodingStrategy slide(int window, int recent) {
        requireWindow(window, recent);
        return new DecodingStrategy("slide(W=" + window + ",R=" + recent + ")", Candidates.DECODING,
                new BudgetSchedule.Fixed(window), new Cadence.EveryStep(), recent, new CurrentAttention());
    }

    /** SCOPE Adaptive: Slide under the growing budget R + floor((j - 1) / delta). */
    public static DecodingStrategy adaptive(int window, int recent, int maxNewTokens) {
        requireWindow(window, recent);
        requireHorizon(window, maxNewTokens);
        return new DecodingStrategy("adaptive(W=" + window + ",R=" + recent + ",T=" + maxNewTokens + ")",
                Candidates.DECODING, BudgetSchedule.Growing.of(window, recent, maxNewTokens),
                new Cadence.EveryStep(), recent, new CurrentAttention());
    }

    /**
     * SCOPE Discontinuous: Adaptive's budget, but selecting only every delta + 1 steps, phase-locked
     * to the first step the budget is reached.
     */
    public static DecodingStrategy discontinuous(int window, int recent, int maxNewTokens) {
        requireWindow(window, recent);
        requireHorizon(window, maxNewTokens);
        BudgetSchedule.Growing growing = BudgetSchedule.Growing.of(window, recent, maxNewTokens);
        return new DecodingStrategy("discontinuous(W=" + window + ",R=" + recent + ",T=" + maxNewTokens + ")",
                Candidates.DECODING, growing, new Cadence.Periodic(growing.delta()), recent, new CurrentAttention());
    }

    /**
     * Unified H2O: once a head holds its prefill kept count + W tokens, keep the top of all tokens
     * (prompt included) except the R most recent, plus those R. Score: current attention.
     */
    public static DecodingStrategy h2o(int window, int recent) {
        requireWindow(window, recent);
        return new DecodingStrategy("h2o(W=" + window + ",R=" + recent + ")", Candidates.WHOLE_CACHE,
                new BudgetSchedule.Fixed(window), new Cadence.EveryStep(), recent, new CurrentAttention());
    }

    /**
     * Unified StreamingLLM: once a head holds its prefill kept count + W tokens, keep the earliest
     * tokens and the R most recent.
     */
    public static DecodingStrategy streamingLlm(int window, int recent) {
        requireWindow(window, recent);
        return new DecodingStrategy("streamingllm(W=" + window + ",R=" + recent + ")", Candidates.WHOLE_CACHE,
                new BudgetSchedule.Fixed(window), new Cadence.EveryStep(), recent, new OldestFirst());
    }

    private static void requireWindow(int window, int recent) {
        if (recent < 0) {
            throw new IllegalArgumentException("recent window R must be >= 0, was R=" + recent);
        }
        if (window <= recent) {
            throw new IllegalArgumentException("decoding budget W must exceed the recent window R (W > R), was W="
                    + window + ", R=" + recent);
        }
    }

    private static void requireHorizon(int window, int maxNewTokens) {
        if (maxNewTokens < window) {
            throw new IllegalArgumentException("maximum new tokens T must be at least the decoding budget W (T >= W), was T="
                    + maxNewTokens + ", W=" + window);
        }
    }
}
