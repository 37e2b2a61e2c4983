package io.scopekv.bench.train;

/**
 * One point of the learning curve.
 *
 * @param step           optimizer steps done
 * @param seconds        training wall time so far (evaluation excluded)
 * @param trainLoss      mean loss per response token over the steps since the previous point
 * @param evalLoss       mean loss per response token on the held-out tasks
 * @param forcedAccuracy fraction of held-out answers whose every token is the argmax given the true prefix
 * @param greedyAccuracy fraction of held-out answers reproduced exactly by greedy decoding of the whole response
 */
public record EvalPoint(int step, double seconds, double trainLoss, double evalLoss, double forcedAccuracy,
                        double greedyAccuracy) {
}
