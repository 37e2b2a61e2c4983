/**
 * A seeded synthetic workload whose attention has the structure of LongGenBench (many questions in
 * one prompt, answered in order in one long output): attention sinks, locality, per-question
 * directions that move the heavy hitters across the prompt as decoding proceeds, and heavy hitters
 * planted in the answers. {@link io.scopekv.bench.workload.WorkloadConfig} holds every parameter;
 * {@link io.scopekv.bench.workload.LongGenWorkload} streams tokens;
 * {@link io.scopekv.bench.workload.TaskPlan} says which tokens each answer needs.
 */
package io.scopekv.bench.workload;
