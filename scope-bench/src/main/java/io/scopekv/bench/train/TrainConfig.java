package io.scopekv.bench.train;

/**
 * One training run.
 *
 * @param model        the decoder's shape
 * @param task         the task it is evaluated on, and the largest it trains on
 * @param minFacts     fewest facts of a training task: each training task draws its fact count
 *                     uniformly from {@code [minFacts, task.facts()]} (a curriculum of mixed
 *                     lengths); {@code task.facts()} trains on the evaluation size only
 * @param steps        optimizer steps in total
 * @param batch        tasks per step
 * @param learningRate peak AdamW learning rate
 * @param warmup       steps of linear warmup before the cosine decay (to a tenth of the peak)
 * @param weightDecay  AdamW decoupled weight decay on weight matrices (norms are not decayed)
 * @param clipNorm     global gradient-norm clip
 * @param seed         seeds the initial weights and the training tasks
 * @param evalEvery    steps between held-out evaluations
 * @param evalTasks    held-out tasks per evaluation
 * @param threads      threads over the batch (the results do not depend on it)
 */
public record TrainConfig(ModelConfig model, TaskConfig task, int minFacts, int steps, int batch, float learningRate, int warmup,
                          float weightDecay, float clipNorm, long seed, int evalEvery, int evalTasks, int threads) {

    public TrainConfig {
        if (model == null || task == null) {
            throw new IllegalArgumentException("model and task must not be null");
        }
        if (task.totalLength() - 1 > model.contextLength()) {
            throw new IllegalArgumentException("task length " + task.totalLength() + " exceeds the model's context length "
                    + model.contextLength() + " + 1");
        }
        if (minFacts < 1 || minFacts > task.facts()) {
            throw new IllegalArgumentException("minFacts must be in [1, facts = " + task.facts() + "], was " + minFacts);
        }
        if (steps < 1 || batch < 1 || evalEvery < 1 || evalTasks < 1 || threads < 1) {
            throw new IllegalArgumentException("steps, batch, evalEvery, evalTasks and threads must be positive, were "
                    + steps + ", " + batch + ", " + evalEvery + ", " + evalTasks + ", " + threads);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must be >= 0, was " + warmup);
        }
        if (!(learningRate > 0) || !(clipNorm > 0) || !(weightDecay >= 0) || !Float.isFinite(learningRate)
                || !Float.isFinite(clipNorm) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("learningRate and clipNorm must be positive and weightDecay >= 0, all finite, were "
                    + learningRate + ", " + clipNorm + ", " + weightDecay);
        }
    }

    /** The same run with another step count (to extend a resumed run). */
    public TrainConfig withSteps(int newSteps) {
        return new TrainConfig(model, task, minFacts, newSteps, batch, learningRate, warmup, weightDecay, clipNorm, seed, evalEvery,
                evalTasks, threads);
    }

    /** The same run on another number of threads. */
    public TrainConfig withThreads(int newThreads) {
        return new TrainConfig(model, task, minFacts, steps, batch, learningRate, warmup, weightDecay, clipNorm, seed,
                evalEvery, evalTasks, newThreads);
    }

    /**
     * The size of training task {@code index}: {@code task()} itself without a curriculum, else a
     * fact count drawn from {@code [minFacts, task.facts()]} by the task's seed; every fact is asked
     * when the evaluation task asks every fact, else at most {@code task.questions()} are.
     */
    public TaskConfig trainingTask(long index) {
        if (minFacts == task.facts()) {
            return task;
        }
        int facts = minFacts + (int) Math.floorMod(MiniTask.trainingSeed(seed, index), (long) (task.facts() - minFacts + 1));
        int questions = task.questions() == task.facts() ? facts : Math.min(task.questions(), facts);
        return new TaskConfig(facts, questions, task.valueDigits());
    }

    /** Learning rate of {@code step} (0-based): linear warmup, then cosine decay to a tenth. */
    public double learningRate(int step) {
        if (step < warmup) {
            return learningRate * (step + 1.0) / warmup;
        }
        double progress = steps <= warmup ? 1 : (double) (step - warmup) / (steps - warmup);
        return learningRate * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress))));
    }
}
