/**
 * Built-in prefill compressors: Full, StreamingLLM, H2O, SnapKV, PyramidKV, key-norm and Random.
 * Each is one record: its budget, its window and a score function.
 */
package io.scopekv.policy.prefill;
