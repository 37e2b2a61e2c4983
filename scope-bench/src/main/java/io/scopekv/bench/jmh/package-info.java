/**
 * JMH benchmarks: attend() bandwidth at the Llama-3.1-8B head shape, and each decoding strategy's
 * own cost per step against the cost of attention over the same cache. See docs/performance.md.
 */
package io.scopekv.bench.jmh;
