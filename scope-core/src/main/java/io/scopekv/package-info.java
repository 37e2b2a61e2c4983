/**
 * The KV-cache API: {@link io.scopekv.KvCache} (one per sequence), its
 * {@link io.scopekv.KvCacheBuilder}, the {@link io.scopekv.CacheLayout}, read-only
 * {@link io.scopekv.LayerView}s for engines with their own attention kernel, and
 * {@link io.scopekv.CacheStats} memory accounting; the {@link io.scopekv.CachePolicy} a cache runs
 * and {@link io.scopekv.PolicySpec}, which parses one from a spec string.
 *
 * <p>The implementation lives here too, as package-private classes (the step protocol, slot
 * storage, the attention kernels, the shared top-k): nothing outside this package can reach it,
 * and the policy packages it builds on never depend on it.
 */
package io.scopekv;
