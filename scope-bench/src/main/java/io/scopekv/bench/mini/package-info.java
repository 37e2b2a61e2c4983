/**
 * The paper's experiment on a model of our own: a tiny decoder trained on the mini-LongGenBench
 * task ({@link io.scopekv.bench.train}) generates every answer of held-out tasks greedily under
 * each cache policy, and the table reports answer accuracy, peak KV memory, selections and speed.
 */
package io.scopekv.bench.mini;
