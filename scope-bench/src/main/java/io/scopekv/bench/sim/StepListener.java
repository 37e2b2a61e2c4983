package io.scopekv.bench.sim;

import java.io.IOException;

/** Observes a {@link Simulation} after prefill (step 0) and after each decode step's eviction. */
@FunctionalInterface
public interface StepListener {

    /**
     * @param step 0 after prefill, then the decode step j (1-based) just completed on every layer
     * @param sim  the simulation, whose caches hold the state after this step's eviction
     */
    void afterStep(int step, Simulation sim) throws IOException;
}
