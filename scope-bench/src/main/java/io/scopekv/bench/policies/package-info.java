/**
 * The named policies a sweep compares ({@link io.scopekv.bench.policies.PolicyRegistry}): each is
 * one line mapping a {@link io.scopekv.bench.policies.Budget} to a spec string, so every policy is
 * swept over budgets the same way.
 */
package io.scopekv.bench.policies;
