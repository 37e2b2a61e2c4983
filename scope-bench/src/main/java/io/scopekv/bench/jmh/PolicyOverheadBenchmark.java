package io.scopekv.bench.jmh;

import io.scopekv.CacheLayout;
import io.scopekv.KvCache;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole decode step (32 layers) at the Llama-3.1-8B shape with P = 2048 prompt tokens kept,
 * R = 256, T = 4096, after enough steps to be in each strategy's steady state.
 * {@code policyOnly}: append + observe() with precomputed probabilities, i.e. the library's own work
 * (validation, scoring, selection, eviction, bookkeeping) given the engine's probabilities.
 * {@code withAttention}: append + attend(), the same plus the library computing attention.
 * The overhead ratio is policyOnly / (withAttention - policyOnly).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class PolicyOverheadBenchmark {
    private static final CacheLayout LAYOUT = CacheLayout.of(32, 32, 8, 128);
    private static final int PROMPT = 2048;

    @Param({"slide(W=512,R=256)", "slide(W=1024,R=256)", "adaptive(W=512,R=256,T=4096)",
            "adaptive(W=1024,R=256,T=4096)", "discontinuous(W=512,R=256,T=4096)",
            "discontinuous(W=1024,R=256,T=4096)"})
    public String decoding;

    private KvCache cache;
    private float[][] keys;
    private float[][] values;
    private float[] query;
    private float[] out;
    private float[] probs;
    private int rowStride;
    private int position;

    @Setup(Level.Trial)
    public void setUp() {
        RandomTensors random = new RandomTensors(7);
        cache = KvCache.builder(LAYOUT).policy("prefill=full,decoding=" + decoding).build();
        random.prefill(cache, PROMPT);
        keys = new float[LAYOUT.layers()][];
        values = new float[LAYOUT.layers()][];
        for (int l = 0; l < LAYOUT.layers(); l++) {
            keys[l] = random.vector(8 * 128);
            values[l] = random.vector(8 * 128);
        }
        query = random.vector(32 * 128);
        out = new float[32 * 128];
        rowStride = PROMPT + 4096;
        probs = new float[32 * rowStride];
        for (int i = 0; i < probs.length; i++) {
            probs[i] = (float) Math.abs(random.vector(1)[0]) / rowStride;
        }
        position = PROMPT;
        // reach the steady state: past W for Slide, well into the growth for Adaptive/Discontinuous
        int warmSteps = 1100;
        for (int s = 0; s < warmSteps; s++) {
            policyOnly();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
    }

    @Benchmark
    public long policyOnly() {
        int p = position++;
        for (int l = 0; l < LAYOUT.layers(); l++) {
            cache.append(l, keys[l], values[l], p);
            cache.observe(l, probs, rowStride);
        }
        return cache.decodeSteps(0);
    }

    @Benchmark
    public float[] withAttention() {
        int p = position++;
        for (int l = 0; l < LAYOUT.layers(); l++) {
            cache.append(l, keys[l], values[l], p);
            cache.attend(l, query, out);
        }
        return out;
    }
}
