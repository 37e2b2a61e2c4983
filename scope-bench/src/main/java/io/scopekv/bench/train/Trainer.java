package io.scopekv.bench.train;

import io.scopekv.bench.io.AtomicFile;
import io.scopekv.bench.report.Chart;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop: batches of generated tasks, loss on response tokens, global-norm clipping,
 * AdamW with warmup and cosine decay, held-out evaluation, checkpoints, a curve CSV and PNG, and
 * the GGUF file. Reproducible: each sequence of a batch gets its own gradient array and they are
 * summed in batch order, so a seed gives the same weights for any thread count, and resuming from
 * a checkpoint continues the same trajectory bit for bit.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    /** Files the trainer writes in its output directory. */
    public static final String CHECKPOINT = "checkpoint.bin";
    public static final String CURVE_CSV = "curve.csv";
    public static final String CURVE_PNG = "curve.png";
    public static final String ACCURACY_PNG = "accuracy.png";
    public static final String MODEL = "model.gguf";

    private final TrainConfig config;
    private final ParamLayout layout;
    private final Transformer model;
    private final float[] params;
    private final AdamW optimizer;
    private final List<EvalPoint> curve;
    /** {@code [batch][layout.size()]} one gradient per sequence, zeroed and reused every step. */
    private final float[][] grads;
    private int step;
    private double seconds;

    private Trainer(TrainConfig config, float[] params, AdamW optimizer, int step, double seconds, List<EvalPoint> curve) {
        this.config = config;
        this.layout = new ParamLayout(config.model());
        this.model = new Transformer(layout);
        this.params = params;
        this.optimizer = optimizer;
        this.step = step;
        this.seconds = seconds;
        this.curve = new ArrayList<>(curve);
        this.grads = new float[config.batch()][layout.size()];
    }

    /** A new run from seeded initial weights. */
    public static Trainer start(TrainConfig config) {
        ParamLayout layout = new ParamLayout(config.model());
        return new Trainer(config, layout.initialize(config.seed()), new AdamW(layout), 0, 0, List.of());
    }

    /**
     * Continues a checkpointed run.
     *
     * @param steps total steps to reach, or 0 to keep the checkpoint's
     * @param threads threads to use (the result does not depend on it)
     */
    public static Trainer resume(Checkpoint cp, int steps, int threads) {
        TrainConfig config = cp.config().withThreads(threads);
        if (steps > 0) {
            config = config.withSteps(steps);
        }
        ParamLayout layout = new ParamLayout(config.model());
        if (cp.params().length != layout.size()) {
            throw new IllegalArgumentException("checkpoint holds " + cp.params().length + " parameters, its model needs "
                    + layout.size());
        }
        return new Trainer(config, cp.params(), new AdamW(layout, cp.m(), cp.v(), cp.step()), cp.step(), cp.seconds(),
                cp.curve());
    }

    public TrainConfig config() {
        return config;
    }

    public int step() {
        return step;
    }

    /** {@code [layout.size()]} the current weights (live, not a copy). */
    public float[] params() {
        return params;
    }

    public ParamLayout layout() {
        return layout;
    }

    public List<EvalPoint> curve() {
        return List.copyOf(curve);
    }

    /**
     * Trains up to {@code config.steps()}, evaluating every {@code evalEvery} steps and at the end,
     * writing the checkpoint, curve files and GGUF model into {@code outDir} at each evaluation.
     *
     * @param progress where the one-line progress display goes (usually stderr)
     */
    public void run(Path outDir, PrintStream progress) throws IOException {
        runUntil(config.steps(), outDir, progress);
    }

    /**
     * Trains up to step {@code stop} (at most {@code config.steps()}) of the configured schedule,
     * as an interrupted run would; {@link #resume} continues it.
     */
    public void runUntil(int stop, Path outDir, PrintStream progress) throws IOException {
        if (stop > config.steps()) {
            throw new IllegalArgumentException("stop step " + stop + " is beyond the run's " + config.steps() + " steps");
        }
        Files.createDirectories(outDir);
        ExecutorService pool = Executors.newFixedThreadPool(config.threads());
        try {
            double lossSum = 0;
            long targetSum = 0;
            long windowStart = System.nanoTime();
            int windowSteps = 0;
            long lastDraw = 0;
            while (step < stop) {
                long t0 = System.nanoTime();
                Transformer.Loss loss = trainStep(pool);
                if (!Double.isFinite(loss.nll())) {
                    progress.println();
                    throw new IllegalStateException(String.format(Locale.ROOT, "training diverged: the loss of step %d is %s; "
                            + "%s (lower --lr or --clip)", step + 1, loss.nll(), curve.isEmpty() ? "nothing was written"
                            : "the files hold step " + curve.get(curve.size() - 1).step()));
                }
                seconds += (System.nanoTime() - t0) / 1e9;
                step++;
                lossSum += loss.nll();
                targetSum += loss.targets();
                windowSteps++;
                long now = System.nanoTime();
                double rate = windowSteps / ((now - windowStart) / 1e9);
                long eta = Math.round((config.steps() - step) / rate);
                // redrawn at most twice a second so a redirected stderr stays small
                if (now - lastDraw > 500_000_000L || step == stop) {
                    lastDraw = now;
                    progress.printf(Locale.ROOT, "\rtrain step %d/%d, this batch: loss %.4f, token accuracy %.3f; lr %.2e %.2f steps/s ETA %d:%02d   ",
                            step, config.steps(), loss.nll() / loss.targets(), (double) loss.right() / loss.targets(),
                            config.learningRate(step - 1), rate, eta / 60, eta % 60);
                    progress.flush();
                }
                if (step % config.evalEvery() == 0 || step == stop) {
                    EvalPoint point = evaluate(pool, lossSum / targetSum);
                    curve.add(point);
                    progress.println();
                    LOG.info(String.format(Locale.ROOT,
                            "step %d (%.0f s): train loss %.4f (mean of the %d steps since the last evaluation), held-out loss "
                                    + "%.4f, answers right %.1f%% forced, %.1f%% greedy",
                            point.step(), point.seconds(), point.trainLoss(), windowSteps, point.evalLoss(),
                            100 * point.forcedAccuracy(), 100 * point.greedyAccuracy()));
                    save(outDir);
                    lossSum = 0;
                    targetSum = 0;
                    windowStart = System.nanoTime();
                    windowSteps = 0;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Transformer.Loss trainStep(ExecutorService pool) {
        Transformer.Weights w = model.weights(params);
        int threads = Math.min(config.threads(), config.batch());
        MiniTask[] tasks = new MiniTask[config.batch()];
        long targets = 0;
        for (int b = 0; b < tasks.length; b++) {
            long index = (long) step * config.batch() + b;
            tasks[b] = MiniTask.train(config.trainingTask(index), config.seed(), index);
            targets += tasks[b].tokens().length - tasks[b].promptLength();
        }
        // the mean over the batch's response tokens, whatever the tasks' lengths
        float gradScale = 1f / targets;
        Transformer.Loss[] losses = new Transformer.Loss[config.batch()];
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            parts.add(pool.submit(() -> {
                for (int b = thread; b < config.batch(); b += threads) {
                    Arrays.fill(grads[b], 0f);
                    losses[b] = model.lossAndGradient(w, tasks[b].tokens(), tasks[b].promptLength(), grads[b], gradScale);
                }
            }));
        }
        parts.forEach(Trainer::join);
        // summed in batch order, so the result is the same for any thread count
        float[] grad = grads[0];
        for (int b = 1; b < grads.length; b++) {
            for (int i = 0; i < grad.length; i++) {
                grad[i] += grads[b][i];
            }
        }
        double norm = 0;
        for (float g : grad) {
            norm += g * g;
        }
        norm = Math.sqrt(norm);
        if (norm > config.clipNorm()) {
            float s = (float) (config.clipNorm() / norm);
            for (int i = 0; i < grad.length; i++) {
                grad[i] *= s;
            }
        }
        optimizer.step(params, grad, config.learningRate(step), config.weightDecay());
        double total = 0;
        int totalRight = 0;
        int totalTargets = 0;
        for (Transformer.Loss l : losses) {
            total += l.nll();
            totalRight += l.right();
            totalTargets += l.targets();
        }
        return new Transformer.Loss(total, totalRight, totalTargets);
    }

    /** Scores the current weights on the first {@code evalTasks} held-out tasks. */
    private EvalPoint evaluate(ExecutorService pool, double trainLoss) {
        Transformer.Weights w = model.weights(params);
        TaskConfig tc = config.task();
        int threads = Math.min(config.threads(), config.evalTasks());
        List<Future<double[]>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            parts.add(pool.submit(() -> {
                double[] sums = new double[3]; // loss, forced right, greedy right
                for (int i = thread; i < config.evalTasks(); i += threads) {
                    MiniTask task = MiniTask.eval(tc, i);
                    double[] forced = forced(w, task);
                    sums[0] += forced[0];
                    sums[1] += forced[1];
                    sums[2] += task.correctAnswers(greedy(model, w, task.prompt(), tc.responseLength()));
                }
                return sums;
            }));
        }
        double[] sums = new double[3];
        for (Future<double[]> f : parts) {
            double[] part = join(f);
            for (int i = 0; i < 3; i++) {
                sums[i] += part[i];
            }
        }
        double answers = (double) config.evalTasks() * tc.questions();
        return new EvalPoint(step, seconds, trainLoss, sums[0] / (config.evalTasks() * (double) tc.responseLength()),
                sums[1] / answers, sums[2] / answers);
    }

    /**
     * Teacher-forced scores of one task.
     *
     * @return the response's summed loss, and the answers whose every token is the argmax given the true prefix
     */
    private double[] forced(Transformer.Weights w, MiniTask task) {
        int[] tokens = task.tokens();
        int vocab = layout.config().vocabSize();
        float[] logits = model.logits(w, Arrays.copyOf(tokens, tokens.length - 1));  // [T - 1, vocab]
        double nll = 0;
        for (int i = task.promptLength(); i < tokens.length; i++) {
            int row = (i - 1) * vocab;
            float max = logits[row + argmax(logits, row, vocab)];
            double sum = 0;
            for (int v = 0; v < vocab; v++) {
                sum += Math.exp(logits[row + v] - max);
            }
            nll += Math.log(sum) - (logits[row + tokens[i]] - max);
        }
        int correct = 0;
        for (int q = 0; q < task.questions(); q++) {
            boolean ok = true;
            for (int i = task.answerStart(q); i < task.answerStart(q) + task.answerLength() && ok; i++) {
                ok = argmax(logits, (i - 1) * vocab, vocab) == tokens[i];
            }
            correct += ok ? 1 : 0;
        }
        return new double[] {nll, correct};
    }

    /**
     * Greedy decoding by recomputing the prefix for every new token, which costs more than a KV
     * cache but keeps evaluation inside the trainer's own forward pass.
     *
     * @return the generated response, up to and including EOS, at most {@code maxTokens} long
     */
    public static int[] greedy(Transformer model, Transformer.Weights w, int[] prompt, int maxTokens) {
        int vocab = model.layout().config().vocabSize();
        int limit = Math.min(maxTokens, model.layout().config().contextLength() - prompt.length + 1);
        int[] seq = Arrays.copyOf(prompt, prompt.length + limit);
        int n = prompt.length;
        while (n < prompt.length + limit) {
            int next = argmax(model.lastLogits(w, seq, n), 0, vocab);
            seq[n++] = next;
            if (next == TaskVocabulary.EOS) {
                break;
            }
        }
        return Arrays.copyOfRange(seq, prompt.length, n);
    }

    private static int argmax(float[] a, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (a[offset + i] > a[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Every file is replaced whole; the checkpoint goes last, so an interruption between files
     * leaves a checkpoint no newer than the model, and resuming redoes at most one evaluation.
     */
    private void save(Path outDir) throws IOException {
        for (ParamLayout.Tensor t : layout.tensors()) {
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                if (!Float.isFinite(params[i])) {
                    throw new IllegalStateException("training diverged: " + t.name() + " holds " + params[i] + " at step "
                            + step + "; nothing was written for this step (lower --lr or --clip)");
                }
            }
        }
        StringBuilder csv = new StringBuilder("step,seconds,train_loss,eval_loss,forced_accuracy,greedy_accuracy\n");
        for (EvalPoint p : curve) {
            csv.append(String.format(Locale.ROOT, "%d,%.1f,%.5f,%.5f,%.4f,%.4f%n", p.step(), p.seconds(), p.trainLoss(),
                    p.evalLoss(), p.forcedAccuracy(), p.greedyAccuracy()));
        }
        AtomicFile.writeString(outDir.resolve(CURVE_CSV), csv);
        Chart chart = chart();
        AtomicFile.write(outDir.resolve(CURVE_PNG), chart::write);
        Chart accuracy = accuracyChart();
        AtomicFile.write(outDir.resolve(ACCURACY_PNG), accuracy::write);
        AtomicFile.write(outDir.resolve(MODEL), file -> GgufExport.write(layout, params, config.task(),
                "scope-kv mini-LongGenBench", file));
        new Checkpoint(config, step, seconds, params.clone(), optimizer.firstMoment().clone(),
                optimizer.secondMoment().clone(), curve).write(outDir.resolve(CHECKPOINT));
    }

    /** Training and held-out loss against steps ({@value #CURVE_PNG}). */
    public Chart chart() {
        double[] x = curve.stream().mapToDouble(EvalPoint::step).toArray();
        return new Chart("Training on mini-LongGenBench: loss", "step", "loss (nats per response token)")
                .subtitle(subtitle("train loss: mean over the steps since the previous evaluation"))
                .add(new Chart.Series("train loss", x, curve.stream().mapToDouble(EvalPoint::trainLoss).toArray(),
                        Chart.PALETTE[0], Chart.Marker.NONE))
                .add(new Chart.Series("held-out loss", x, curve.stream().mapToDouble(EvalPoint::evalLoss).toArray(),
                        Chart.PALETTE[1], Chart.Marker.NONE));
    }

    /** Held-out answers right against steps, in percent ({@value #ACCURACY_PNG}). */
    public Chart accuracyChart() {
        double[] x = curve.stream().mapToDouble(EvalPoint::step).toArray();
        return new Chart("Training on mini-LongGenBench: held-out answers right", "step", "answers right (%)")
                .subtitle(subtitle("forced: every answer token is the argmax given the true prefix; greedy: generated"))
                .yFromZero(true)
                .add(new Chart.Series("answers right, forced", x,
                        curve.stream().mapToDouble(p -> 100 * p.forcedAccuracy()).toArray(), Chart.PALETTE[2], Chart.Marker.CIRCLE))
                .add(new Chart.Series("answers right, greedy", x,
                        curve.stream().mapToDouble(p -> 100 * p.greedyAccuracy()).toArray(), Chart.PALETTE[3], Chart.Marker.SQUARE));
    }

    private String subtitle(String note) {
        TaskConfig tc = config.task();
        ModelConfig mc = config.model();
        return String.format(Locale.ROOT, "%d facts, %d questions, %d digits (%d tokens); dim %d, %d layers, %d/%d heads, "
                        + "batch %d, seed %d; %s", tc.facts(), tc.questions(), tc.valueDigits(), tc.totalLength(), mc.dim(),
                mc.layers(), mc.heads(), mc.kvHeads(), config.batch(), config.seed(), note);
    }

    private static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a training thread failed", e.getCause());
        }
    }
}
