package io.scopekv.bench.jmh;

import io.scopekv.StorageType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link AttendBenchmark}'s {@code attend} and {@code readLimit} side by side, one pair per
 * (tokens, threads, storage) so that each ratio compares measurements taken minutes apart at
 * most, and prints attend's bandwidth as a fraction of the read limit (markdown on stdout).
 *
 * <pre>
 * java -cp scope-bench/target/scope-bench.jar io.scopekv.bench.jmh.AttendBandwidthReport \
 *     [tokens=4096,8192,16384,32768] [threads=1,2] [storage=FLOAT32,BF16]
 * </pre>
 */
public final class AttendBandwidthReport {
    private AttendBandwidthReport() {
    }

    public static void main(String[] args) throws RunnerException {
        List<String> tokens = List.of("4096", "8192", "16384", "32768");
        List<String> threads = List.of("1", "2");
        List<String> storages = List.of("FLOAT32", "BF16");
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected tokens=..., threads=... or storage=..., got " + arg);
            }
            List<String> values = Arrays.asList(kv[1].split(","));
            switch (kv[0]) {
                case "tokens" -> tokens = values;
                case "threads" -> threads = values;
                case "storage" -> storages = values;
                default -> throw new IllegalArgumentException("unknown option " + kv[0] + "; use tokens, threads or storage");
            }
        }
        List<String> rows = new ArrayList<>();
        for (String storage : storages) {
            for (String thread : threads) {
                for (String token : tokens) {
                    Options options = new OptionsBuilder()
                            .include(AttendBenchmark.class.getName() + "\\.(attend|readLimit)$")
                            .param("tokens", token).param("threads", thread).param("storage", storage)
                            .build();
                    Result<?> attend = null;
                    Result<?> limit = null;
                    for (RunResult run : new Runner(options).run()) {
                        if (run.getParams().getBenchmark().endsWith(".attend")) {
                            attend = run.getPrimaryResult();
                        } else {
                            limit = run.getPrimaryResult();
                        }
                    }
                    rows.add(row(Integer.parseInt(token), Integer.parseInt(thread), StorageType.valueOf(storage), attend, limit));
                }
            }
        }
        System.out.println();
        System.out.println("| storage | threads | kept tokens | attend ms/step | attend GB/s | read limit GB/s | attend / limit |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String row(int tokens, int threads, StorageType storage, Result<?> attend, Result<?> limit) {
        double bytes = AttendBenchmark.streamedBytes(tokens, storage);
        double attendMs = attend.getScore();
        double limitMs = limit.getScore();
        return String.format(Locale.ROOT, "| %s | %d | %,d | %.2f +- %.2f | %.1f | %.1f (+- %.0f%%) | %.0f%% |",
                storage, threads, tokens, attendMs, attend.getScoreError(), bytes / attendMs / 1e6,
                bytes / limitMs / 1e6, 100 * limit.getScoreError() / limitMs, 100 * limitMs / attendMs);
    }
}
