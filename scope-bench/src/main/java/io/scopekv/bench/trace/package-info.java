/**
 * Recorded attention traces in a language-neutral format (a {@code meta.json} plus
 * {@code q.npy}, {@code k.npy}, {@code v.npy}) and their replay through any policy, so this
 * library's decisions can be checked against other implementations. See docs/replay.md.
 */
package io.scopekv.bench.trace;
