/**
 * SCOPE's decoding strategies (Slide, Adaptive, Discontinuous), the unified baselines, and the
 * decoding scorers (current, cumulative and windowed attention, oldest-first, random).
 */
package io.scopekv.policy.decoding;
