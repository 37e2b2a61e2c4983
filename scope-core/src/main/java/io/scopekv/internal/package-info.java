/**
 * Implementation details, not API: the ND4J-backed cache, its slot storage and the shared top-k.
 * Nothing here is stable.
 */
package io.scopekv.internal;
