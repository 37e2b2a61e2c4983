/**
 * Reading and writing GGUF model files: metadata of every value type, tensor directory, and
 * dequantization of the tensor types most published models use (F32, F16, BF16, Q8_0, Q4_0, Q4_K,
 * Q6_K) to float32. {@link io.scopekv.bench.gguf.GgufFile} memory-maps the file;
 * {@link io.scopekv.bench.gguf.GgufWriter} writes F32, F16 and Q8_0 tensors (tests and small
 * shipped models).
 */
package io.scopekv.bench.gguf;
