package io.scopekv.bench.fidelity;

import io.scopekv.CachePolicy;
import io.scopekv.StorageType;
import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.engine.Generator;
import io.scopekv.bench.engine.LlamaModel;
import io.scopekv.bench.engine.LlamaSession;
import io.scopekv.bench.engine.Sampler;
import io.scopekv.bench.mini.MiniExperiment.Policy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * How far each cache policy moves a model's output from the full cache's, on long continuations
 * of story prompts.
 *
 * <p>Each sequence is an opening extended by seeded sampling under the full cache: its first
 * {@code promptTokens} tokens are the prompt, the rest (up to {@code sequenceTokens}) the
 * reference continuation. Every policy then runs twice per sequence:
 * <ul>
 *   <li>teacher-forced on the reference continuation, in lockstep with a full-cache session: per
 *       step, KL(full || policy) of the next-token distribution, the change in the reference
 *       token's log-probability, and whether the two argmax tokens agree;</li>
 *   <li>free-running greedy from the prompt: the first step whose token differs from the full
 *       cache's greedy continuation (the continuation length when none does).</li>
 * </ul>
 * Tokens that would end the text (EOS) are held back while sampling and greedy decoding, so every
 * sequence runs to its full length; the distributions compared keep them.
 *
 * <p>The reference (sampling, the full cache of the teacher-forced comparison, the greedy text) always
 * stores keys and values in float32. The policies' caches store them in the run's storage type, so
 * with 16-bit storage the full-cache row measures what the storage type alone adds, and every other
 * row what the policy and the storage add together.
 */
public final class FidelityExperiment {

    /**
     * What to run.
     *
     * @param promptTokens   tokens of each prompt, opening included (the opening is cut when longer)
     * @param sequenceTokens prompt plus continuation; at most the model's context length
     * @param samples        sequences; sample i starts from opening i modulo their number
     * @param seed           seed of sample 0's sampling; sample i uses seed + i
     * @param temperature    sampling temperature of the prompt extension and reference continuation
     * @param topP           nucleus mass of that sampling
     * @param path           the engine's attention path for every policy
     */
    public record Settings(int promptTokens, int sequenceTokens, int samples, long seed, float temperature, float topP,
                           AttentionPath path) {
        public Settings {
            if (promptTokens < 2) {
                throw new IllegalArgumentException("prompt must be at least 2 tokens, was " + promptTokens);
            }
            if (sequenceTokens < promptTokens + 2) {
                throw new IllegalArgumentException("sequence length must leave a continuation of at least 2 tokens after the "
                        + promptTokens + "-token prompt, was " + sequenceTokens);
            }
            if (samples < 1) {
                throw new IllegalArgumentException("samples must be at least 1, was " + samples);
            }
            if (!(temperature > 0) || !Float.isFinite(temperature)) {
                throw new IllegalArgumentException("temperature must be positive and finite, was " + temperature);
            }
            new Sampler(temperature, topP, seed); // validates topP
            if (path == null) {
                throw new IllegalArgumentException("attention path must not be null");
            }
        }

        /** Tokens of every continuation. */
        public int continuationTokens() {
            return sequenceTokens - promptTokens;
        }
    }

    /**
     * One sequence.
     *
     * @param prompt    {@code [promptTokens]} token ids
     * @param reference {@code [continuationTokens]} the sampled continuation every policy is forced through
     * @param greedy    {@code [continuationTokens]} the full cache's greedy continuation of the prompt
     */
    public record Sequence(int[] prompt, int[] reference, int[] greedy) {
        public Sequence {
            if (reference.length != greedy.length) {
                throw new IllegalArgumentException("reference and greedy continuations differ in length: "
                        + reference.length + " vs " + greedy.length);
            }
            prompt = prompt.clone();
            reference = reference.clone();
            greedy = greedy.clone();
        }

        @Override
        public int[] prompt() {
            return prompt.clone();
        }

        @Override
        public int[] reference() {
            return reference.clone();
        }

        @Override
        public int[] greedy() {
            return greedy.clone();
        }
    }

    /**
     * The outcome of one policy, per continuation step averaged over the sequences.
     *
     * @param policy           the policy
     * @param klByStep         mean KL(full || policy) in nats at each step
     * @param deltaLogProbByStep mean log q(reference) - log p(reference) at each step
     * @param top1ByStep       share of sequences whose argmax agrees with the full cache's, at each step
     * @param firstDivergence  per sequence, the first greedy step that differs from the full cache's
     *                         (the continuation length when none does)
     * @param peakLiveBytes    the largest live KV bytes of any teacher-forced sequence
     */
    public record Row(Policy policy, double[] klByStep, double[] deltaLogProbByStep, double[] top1ByStep,
                      int[] firstDivergence, long peakLiveBytes) {
        public Row {
            klByStep = klByStep.clone();
            deltaLogProbByStep = deltaLogProbByStep.clone();
            top1ByStep = top1ByStep.clone();
            firstDivergence = firstDivergence.clone();
        }

        @Override
        public double[] klByStep() {
            return klByStep.clone();
        }

        @Override
        public double[] deltaLogProbByStep() {
            return deltaLogProbByStep.clone();
        }

        @Override
        public double[] top1ByStep() {
            return top1ByStep.clone();
        }

        @Override
        public int[] firstDivergence() {
            return firstDivergence.clone();
        }

        /** Continuation steps. */
        public int steps() {
            return klByStep.length;
        }

        /** Mean KL over every step and sequence. */
        public double meanKl() {
            return Arrays.stream(klByStep).average().orElse(0);
        }

        /** Mean KL over the last quarter of the steps, where the most decoding tokens were evicted. */
        public double lastQuarterKl() {
            return Arrays.stream(klByStep, steps() - Math.max(1, steps() / 4), steps()).average().orElse(0);
        }

        /** Mean change of the reference token's log-probability. */
        public double meanDeltaLogProb() {
            return Arrays.stream(deltaLogProbByStep).average().orElse(0);
        }

        /** Share of steps, over all sequences, whose argmax agrees with the full cache's. */
        public double top1Agreement() {
            return Arrays.stream(top1ByStep).average().orElse(0);
        }

        /** Mean first-divergence step (sequences that never diverged count as the continuation length). */
        public double meanFirstDivergence() {
            return Arrays.stream(firstDivergence).average().orElse(0);
        }

        /** Sequences whose greedy continuation never left the full cache's. */
        public int neverDiverged() {
            return (int) Arrays.stream(firstDivergence).filter(d -> d == steps()).count();
        }
    }

    private FidelityExperiment() {
    }

    /**
     * Builds {@code settings.samples()} sequences from the openings: sample i extends opening
     * {@code i mod openings} (cut to the prompt length) by sampling with seed {@code seed + i}.
     *
     * @param openings  token ids of each opening, BOS included where the model wants one
     * @param heldBack  tokens never sampled or chosen (the model's EOS)
     * @throws IllegalArgumentException when the sequence does not fit the model's context or an opening is empty
     */
    public static List<Sequence> sequences(LlamaModel model, List<int[]> openings, Set<Integer> heldBack, Settings settings) {
        int context = model.config().contextLength();
        if (settings.sequenceTokens() > context) {
            throw new IllegalArgumentException("sequence of " + settings.sequenceTokens() + " tokens exceeds the model's context length "
                    + context);
        }
        if (openings.isEmpty() || openings.stream().anyMatch(o -> o.length == 0)) {
            throw new IllegalArgumentException("every sequence needs a non-empty opening");
        }
        int m = settings.promptTokens();
        int n = settings.continuationTokens();
        List<Sequence> out = new ArrayList<>();
        for (int i = 0; i < settings.samples(); i++) {
            int[] opening = openings.get(i % openings.size());
            int[] start = Arrays.copyOf(opening, Math.min(opening.length, m));
            int extra = settings.sequenceTokens() - start.length;
            Sampler sampler = new Sampler(settings.temperature(), settings.topP(), settings.seed() + i);
            int[] sampled;
            try (LlamaSession session = openReference(model, settings.path())) {
                sampled = Generator.generate(session, start, new Generator.Options(extra, extra, sampler, heldBack)).tokens();
            }
            int[] all = new int[settings.sequenceTokens()];
            System.arraycopy(start, 0, all, 0, start.length);
            System.arraycopy(sampled, 0, all, start.length, extra);
            int[] prompt = Arrays.copyOf(all, m);
            int[] greedy;
            try (LlamaSession session = openReference(model, settings.path())) {
                greedy = Generator.generate(session, prompt, new Generator.Options(n, n, Sampler.greedy(), heldBack)).tokens();
            }
            out.add(new Sequence(prompt, Arrays.copyOfRange(all, m, all.length), greedy));
        }
        return out;
    }

    /** The full cache in float32: what every comparison is against, whatever the run's storage type. */
    private static LlamaSession openReference(LlamaModel model, AttentionPath path) {
        return LlamaSession.open(model, CachePolicy.full(), StorageType.FLOAT32, path);
    }

    /** Units of work {@link #run} reports: teacher-forced steps of every session plus greedy steps. */
    public static long totalWork(int policies, List<Sequence> sequences) {
        long steps = sequences.stream().mapToLong(s -> s.reference.length).sum();
        return steps * (2L * policies + 1);
    }

    /**
     * Runs every policy on every sequence.
     *
     * @param storage  how the policies' caches store keys and values (the reference is float32)
     * @param progress receives the units of work done so far (see {@link #totalWork})
     * @throws IllegalArgumentException when there are no policies or sequences, or they differ in length
     */
    public static List<Row> run(LlamaModel model, List<Policy> policies, List<Sequence> sequences, Set<Integer> heldBack,
                                AttentionPath path, StorageType storage, LongConsumer progress) {
        if (policies.isEmpty() || sequences.isEmpty()) {
            throw new IllegalArgumentException("a fidelity run needs at least one policy and one sequence");
        }
        if (storage == null) {
            throw new IllegalArgumentException("storage type must not be null");
        }
        int steps = sequences.get(0).reference.length;
        int promptLength = sequences.get(0).prompt.length;
        for (Sequence s : sequences) {
            if (s.reference.length != steps || s.prompt.length != promptLength) {
                throw new IllegalArgumentException("every sequence must have the same prompt and continuation lengths ("
                        + promptLength + " + " + steps + "), was " + s.prompt.length + " + " + s.reference.length);
            }
        }
        int p = policies.size();
        double[][] kl = new double[p][steps];
        double[][] delta = new double[p][steps];
        double[][] top1 = new double[p][steps];
        int[][] divergence = new int[p][sequences.size()];
        long[] peak = new long[p];
        long[] done = {0};
        for (int i = 0; i < sequences.size(); i++) {
            Sequence s = sequences.get(i);
            teacherForced(model, policies, s, path, storage, kl, delta, top1, peak, units -> progress.accept(done[0] += units));
            for (int k = 0; k < p; k++) {
                divergence[k][i] = firstDivergence(model, policies.get(k), s, heldBack, path, storage);
                progress.accept(done[0] += steps);
            }
        }
        List<Row> rows = new ArrayList<>();
        double count = sequences.size();
        for (int k = 0; k < p; k++) {
            for (int t = 0; t < steps; t++) {
                kl[k][t] /= count;
                delta[k][t] /= count;
                top1[k][t] /= count;
            }
            rows.add(new Row(policies.get(k), kl[k], delta[k], top1[k], divergence[k], peak[k]));
        }
        return rows;
    }

    /**
     * Forces a full-cache session and one session per policy through the reference continuation
     * together, adding each step's metrics into the sums.
     */
    private static void teacherForced(LlamaModel model, List<Policy> policies, Sequence s, AttentionPath path,
                                      StorageType storage, double[][] kl, double[][] delta, double[][] top1, long[] peak, LongConsumer units) {
        int p = policies.size();
        LlamaSession[] sessions = new LlamaSession[p];
        try (LlamaSession reference = openReference(model, path)) {
            for (int k = 0; k < p; k++) {
                sessions[k] = LlamaSession.open(model, policies.get(k).cache(), storage, path);
            }
            float[] full = reference.prefill(s.prompt);
            float[][] logits = new float[p][];
            for (int k = 0; k < p; k++) {
                logits[k] = sessions[k].prefill(s.prompt);
            }
            for (int t = 0; t < s.reference.length; t++) {
                int token = s.reference[t];
                double[] logP = Distributions.logSoftmax(full);
                int best = Distributions.argmax(logP);
                for (int k = 0; k < p; k++) {
                    double[] logQ = Distributions.logSoftmax(logits[k]);
                    kl[k][t] += Distributions.kl(logP, logQ);
                    delta[k][t] += logQ[token] - logP[token];
                    top1[k][t] += Distributions.argmax(logQ) == best ? 1 : 0;
                }
                if (t + 1 < s.reference.length) {
                    full = reference.decode(token);
                    for (int k = 0; k < p; k++) {
                        logits[k] = sessions[k].decode(token);
                    }
                }
                units.accept(p + 1);
            }
            for (int k = 0; k < p; k++) {
                peak[k] = Math.max(peak[k], sessions[k].cache().stats().peakLiveBytes());
            }
        } finally {
            for (LlamaSession session : sessions) {
                if (session != null) {
                    session.close();
                }
            }
        }
    }

    /** Greedy from the prompt until the first token that differs from the full cache's greedy text. */
    private static int firstDivergence(LlamaModel model, Policy policy, Sequence s, Set<Integer> heldBack, AttentionPath path,
                                       StorageType storage) {
        try (LlamaSession session = LlamaSession.open(model, policy.cache(), storage, path)) {
            float[] logits = session.prefill(s.prompt);
            for (int t = 0; t < s.greedy.length; t++) {
                for (int held : heldBack) {
                    if (held >= 0 && held < logits.length) {
                        logits[held] = Float.NEGATIVE_INFINITY;
                    }
                }
                int token = Sampler.argmax(logits);
                if (token != s.greedy[t]) {
                    return t;
                }
                if (t + 1 < s.greedy.length) {
                    logits = session.decode(token);
                }
            }
            return s.greedy.length;
        }
    }
}
