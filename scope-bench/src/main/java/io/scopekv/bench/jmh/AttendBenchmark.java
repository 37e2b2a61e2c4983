package io.scopekv.bench.jmh;

import io.scopekv.CacheLayout;
import io.scopekv.KvCache;
import io.scopekv.StorageType;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
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
 * One decode step of one layer at the Llama-3.1-8B head shape (32 query heads, 8 KV heads, head
 * dim 128) over {@code tokens} kept tokens: {@code attend} is the cache's own kernel (append, attend,
 * a one-token Slide eviction that keeps the size constant); {@code readLimit} reads as many
 * off-heap bytes as attend streams with a plain Vector API loop, split over the same threads: the
 * physical limit, measured in the same run ({@link AttendBandwidthReport} prints the ratio);
 * {@code nd4jMatmul} is the same attention through ND4J's batched matmul and softmax on float32
 * arrays, for the choice of kernel. K/V bytes streamed per op:
 * {@code tokens x 8 x 128 x 2 x bytes per value}. The Vector API kernel is used because the fork
 * adds {@code jdk.incubator.vector}; override the JVM arguments without it to measure the scalar
 * kernel.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class AttendBenchmark {
    private static final CacheLayout LAYOUT = CacheLayout.of(1, 32, 8, 128);

    @Param({"4096", "8192", "16384", "32768"})
    public int tokens;

    /** Threads sharing one attend() call (the nd4jMatmul baseline uses ND4J's own OpenMP threads). */
    @Param({"1", "2"})
    public int threads;

    @Param({"FLOAT32", "BF16"})
    public StorageType storage;

    private OffHeapRead limit;

    private KvCache cache;
    private float[] key;
    private float[] value;
    private float[] query;
    private float[] out;
    private int position;

    private INDArray keys;
    private INDArray values;
    private INDArray queries;
    private INDArray scores;
    private INDArray output;

    @Setup(Level.Trial)
    public void setUp() {
        RandomTensors random = new RandomTensors(42);
        cache = KvCache.builder(LAYOUT).storage(storage).policy("prefill=full,decoding=slide(W=2,R=1),scorer=oldest")
                .attentionThreads(threads).build();
        limit = new OffHeapRead(streamedBytes(tokens, storage));
        random.prefill(cache, tokens - 2);
        key = random.vector(8 * 128);
        value = random.vector(8 * 128);
        query = random.vector(32 * 128);
        out = new float[32 * 128];
        position = tokens;

        keys = Nd4j.rand(DataType.FLOAT, 8, tokens, 128);
        values = Nd4j.rand(DataType.FLOAT, 8, tokens, 128);
        queries = Nd4j.rand(DataType.FLOAT, 8, 4, 128);
        scores = Nd4j.create(DataType.FLOAT, 8, 4, tokens);
        output = Nd4j.create(DataType.FLOAT, 8, 4, 128);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
        keys.close();
        values.close();
        queries.close();
        scores.close();
        output.close();
    }

    @Benchmark
    public float[] attend() {
        cache.append(0, key, value, position++);
        cache.attend(0, query, out);
        return out;
    }

    /** K/V bytes one attend() step reads. */
    static long streamedBytes(int tokens, StorageType storage) {
        return (long) tokens * LAYOUT.kvHeads() * LAYOUT.headDim() * 2 * storage.bytes();
    }

    @Benchmark
    public float readLimit() {
        return limit.read(threads);
    }

    @Benchmark
    public INDArray nd4jMatmul() {
        Nd4j.matmul(queries, keys, scores, false, true, false);
        scores.muli(1.0 / Math.sqrt(128));
        Transforms.softmax(scores, false);
        Nd4j.matmul(scores, values, output, false, false, false);
        return output;
    }
}
