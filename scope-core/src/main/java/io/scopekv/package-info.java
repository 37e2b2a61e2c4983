/**
 * The KV-cache API: {@link io.scopekv.KvCache} (one per sequence), its
 * {@link io.scopekv.KvCacheBuilder}, the {@link io.scopekv.CacheLayout}, read-only
 * {@link io.scopekv.LayerView}s for engines with their own attention kernel, and
 * {@link io.scopekv.CacheStats} memory accounting.
 */
package io.scopekv;
