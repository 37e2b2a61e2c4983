/**
 * Reading and writing GGUF model files: metadata of every value type, tensor directory, and
 * dequantization to float32 of the tensor types llama.cpp's converter and llama-quantize emit in
 * ordinary downloads (F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K).
 * {@link io.scopekv.bench.gguf.GgufFile} memory-maps the file;
 * {@link io.scopekv.bench.gguf.GgufWriter} writes F32, F16 and Q8_0 tensors (tests and small
 * shipped models).
 */
package io.scopekv.bench.gguf;
