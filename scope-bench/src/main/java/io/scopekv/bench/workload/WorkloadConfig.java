package io.scopekv.bench.workload;

import io.scopekv.CacheLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every parameter of the synthetic LongGenBench-style workload. The attention logit of a query at
 * token t on a key at token s is the sum of the products of matching key and query amplitudes
 * (the directions are random unit vectors, nearly orthogonal), see docs/workload.md.
 *
 * @param layers              transformer layers (independent streams)
 * @param queryHeads          query heads per layer
 * @param kvHeads             KV heads per layer; query heads of one group share its directions
 * @param headDim             elements per head vector
 * @param exampleTokens       prompt tokens before the first question (worked examples), sinks included
 * @param sinks               leading tokens carrying the sink direction
 * @param questions           K, question spans in the prompt, answered in order
 * @param questionTokens      tokens per question span
 * @param plantedPerQuestion  tokens of each question span that carry its direction strongly (the
 *                            facts the answer needs)
 * @param tailTokens          instruction tokens after the last question
 * @param maxNewTokens        T, decode steps; answer i covers steps {@code i*T/K+1 .. (i+1)*T/K}
 * @param plantedPerAnswer    heavy hitters planted in the first half of each answer, looked at by
 *                            the rest of that answer and by the next answer
 * @param locality            rho, per-token correlation of the drifting context direction
 * @param sinkKey             key amplitude on the sink direction (sink tokens)
 * @param sinkQuery           query amplitude on the sink direction (every query)
 * @param localityKey         key amplitude on the context direction
 * @param localityQuery       query amplitude on the context direction
 * @param questionKey         planted question tokens' amplitude on their question's direction
 * @param spanKey             other question tokens' amplitude on their question's direction
 * @param answerQuery         answer i's queries' amplitude on question i's direction
 * @param promptQuestionQuery prompt queries inside question i on question i's direction
 * @param tailQuery           prompt tail queries on question 0's direction (the prompt ends by
 *                            asking for answer 1)
 * @param plantedKey          planted answer tokens' amplitude on their answer's direction
 * @param plantedQuery        answer i's queries' amplitude on the directions of answers i and i-1
 * @param keyNoise            standard deviation of i.i.d. Gaussian noise per key coordinate
 * @param queryNoise          standard deviation of i.i.d. Gaussian noise per query coordinate
 *                            (before the 1/sqrt(headDim) scale is undone)
 * @param seed                seeds every random choice; equal configs give equal streams
 */
public record WorkloadConfig(int layers, int queryHeads, int kvHeads, int headDim,
                             int exampleTokens, int sinks, int questions, int questionTokens,
                             int plantedPerQuestion, int tailTokens, int maxNewTokens, int plantedPerAnswer,
                             double locality, double sinkKey, double sinkQuery, double localityKey,
                             double localityQuery, double questionKey, double spanKey, double answerQuery,
                             double promptQuestionQuery, double tailQuery, double plantedKey,
                             double plantedQuery, double keyNoise, double queryNoise, long seed) {

    public WorkloadConfig {
        new CacheLayout(layers, queryHeads, kvHeads, headDim, io.scopekv.StorageType.FLOAT32);
        requireAtLeast("sinks", sinks, 0);
        requireAtLeast("exampleTokens", exampleTokens, Math.max(1, sinks));
        requireAtLeast("questions", questions, 1);
        requireAtLeast("questionTokens", questionTokens, 1);
        requireAtLeast("plantedPerQuestion", plantedPerQuestion, 1);
        if (plantedPerQuestion > questionTokens) {
            throw new IllegalArgumentException("plantedPerQuestion must be <= questionTokens (" + questionTokens
                    + "), was " + plantedPerQuestion);
        }
        requireAtLeast("tailTokens", tailTokens, 0);
        requireAtLeast("plantedPerAnswer", plantedPerAnswer, 0);
        if (maxNewTokens < questions) {
            throw new IllegalArgumentException("maxNewTokens must be >= questions (" + questions
                    + ") so every answer gets a step, was " + maxNewTokens);
        }
        if (plantedPerAnswer > (maxNewTokens / questions) / 2) {
            throw new IllegalArgumentException("plantedPerAnswer must fit the first half of an answer ("
                    + (maxNewTokens / questions) / 2 + " steps), was " + plantedPerAnswer);
        }
        if (!(locality >= 0 && locality < 1)) {
            throw new IllegalArgumentException("locality must be in [0, 1), was " + locality);
        }
        requireAmplitude("sinkKey", sinkKey);
        requireAmplitude("sinkQuery", sinkQuery);
        requireAmplitude("localityKey", localityKey);
        requireAmplitude("localityQuery", localityQuery);
        requireAmplitude("questionKey", questionKey);
        requireAmplitude("spanKey", spanKey);
        requireAmplitude("answerQuery", answerQuery);
        requireAmplitude("promptQuestionQuery", promptQuestionQuery);
        requireAmplitude("tailQuery", tailQuery);
        requireAmplitude("plantedKey", plantedKey);
        requireAmplitude("plantedQuery", plantedQuery);
        requireAmplitude("keyNoise", keyNoise);
        requireAmplitude("queryNoise", queryNoise);
    }

    private static void requireAmplitude(String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, was " + value);
        }
    }

    private static void requireAtLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
        }
    }

    /** The small default: the whole demo sweep runs in well under a minute on two cores. */
    public static WorkloadConfig defaults() {
        return new WorkloadConfig(2, 4, 2, 64,
                256, 4, 8, 32, 3, 16, 1024, 3,
                0.98, 2.0, 1.5, 1.5, 1.5, 2.5, 0.8, 2.0,
                2.0, 1.0, 2.5, 2.0, 0.25, 0.25, 42L);
    }

    /**
     * The paper's lengths (GSM8K+ in LongGenBench-4K: K = 30 questions, a prompt of about 3.4K
     * tokens, T = 4096) on the default's down-scaled layer and head counts.
     */
    public static WorkloadConfig paper() {
        WorkloadConfig d = defaults();
        return d.withLengths(1500, 30, 60, 100, 4096);
    }

    /** M, prompt tokens: examples, questions and the tail. */
    public int promptTokens() {
        return exampleTokens + questions * questionTokens + tailTokens;
    }

    public CacheLayout layout() {
        return CacheLayout.of(layers, queryHeads, kvHeads, headDim);
    }

    /** The same workload on another model shape. */
    public WorkloadConfig withLayout(CacheLayout layout) {
        return new WorkloadConfig(layout.layers(), layout.queryHeads(), layout.kvHeads(), layout.headDim(),
                exampleTokens, sinks, questions, questionTokens, plantedPerQuestion, tailTokens, maxNewTokens,
                plantedPerAnswer, locality, sinkKey, sinkQuery, localityKey, localityQuery, questionKey, spanKey,
                answerQuery, promptQuestionQuery, tailQuery, plantedKey, plantedQuery, keyNoise, queryNoise, seed);
    }

    /** The same workload with other lengths. */
    public WorkloadConfig withLengths(int examples, int k, int perQuestion, int tail, int newTokens) {
        return new WorkloadConfig(layers, queryHeads, kvHeads, headDim, examples, sinks, k, perQuestion,
                plantedPerQuestion, tail, newTokens, plantedPerAnswer, locality, sinkKey, sinkQuery, localityKey,
                localityQuery, questionKey, spanKey, answerQuery, promptQuestionQuery, tailQuery, plantedKey,
                plantedQuery, keyNoise, queryNoise, seed);
    }

    /** The same workload with another seed. */
    public WorkloadConfig withSeed(long newSeed) {
        return new WorkloadConfig(layers, queryHeads, kvHeads, headDim, exampleTokens, sinks, questions,
                questionTokens, plantedPerQuestion, tailTokens, maxNewTokens, plantedPerAnswer, locality, sinkKey,
                sinkQuery, localityKey, localityQuery, questionKey, spanKey, answerQuery, promptQuestionQuery,
                tailQuery, plantedKey, plantedQuery, keyNoise, queryNoise, newSeed);
    }

    /** Every parameter by name, for config.json. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (var component : WorkloadConfig.class.getRecordComponents()) {
            try {
                map.put(component.getName(), component.getAccessor().invoke(this));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read workload parameter " + component.getName(), e);
            }
        }
        map.put("promptTokens", promptTokens());
        return map;
    }
}
