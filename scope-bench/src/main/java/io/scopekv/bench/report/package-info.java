/**
 * Results as people read them: the combined Markdown table, per-step CSV, PNG charts drawn with
 * Java2D ({@link io.scopekv.bench.report.Chart}) and a console progress bar.
 */
package io.scopekv.bench.report;
