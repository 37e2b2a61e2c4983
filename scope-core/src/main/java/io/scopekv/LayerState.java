package io.scopekv;

import io.scopekv.policy.DecodingScorer;
import io.scopekv.policy.DecodingStrategy;
import io.scopekv.policy.Occupancy;

/** One layer of one sequence: its storage, where it is in the step protocol, and its counts. */
final class LayerState implements Occupancy {

    enum Phase { EMPTY, PREFILLING, READY, APPENDED }

    Phase phase = Phase.EMPTY;
    /** The chunks of an open chunked prefill, null otherwise. */
    PromptBuffer prompt;
    LayerStore store;
    DecodingScorer.State scores;
    DecodingStrategy.State strategy;
    int promptEnd;
    int lastPosition = -1;
    /** Tokens each head kept at prefill; never decremented. */
    int[] prefillKept;
    /**
     * First slot the scorer reads probabilities for: when prompt tokens never compete they fill
     * slots [0, prefillKept) and their probabilities are never read.
     */
    int scoredFrom;
    /** Decoding-phase tokens each head holds now. */
    int[] decodingCount;
    long steps;
    long selections;

    @Override
    public int heads() {
        return prefillKept.length;
    }

    @Override
    public int promptEnd() {
        return promptEnd;
    }

    @Override
    public int prefillKept(int head) {
        return prefillKept[head];
    }

    @Override
    public int held(int head) {
        return store.live(head);
    }

    @Override
    public int decoding(int head) {
        return decodingCount[head];
    }

    /** This layer, if its prefill has not begun. */
    LayerState empty(int layer) {
        if (phase == Phase.PREFILLING) {
            throw new IllegalStateException("layer " + layer + " has a chunked prefill open; add chunks with prefillChunk() and end it with endPrefill()");
        }
        if (phase != Phase.EMPTY) {
            throw new IllegalStateException("layer " + layer + " was already prefilled; prefill runs once per layer per sequence");
        }
        return this;
    }

    /** This layer, if its prefill has ended. */
    LayerState prefilled(int layer) {
        if (phase == Phase.EMPTY) {
            throw new IllegalStateException("layer " + layer + " has not been prefilled; call prefill() first");
        }
        if (phase == Phase.PREFILLING) {
            throw new IllegalStateException("layer " + layer + " is still prefilling; call endPrefill() after the last chunk");
        }
        return this;
    }

    /** This layer, if it may take the next step's token. */
    LayerState ready(int layer) {
        if (prefilled(layer).phase == Phase.APPENDED) {
            throw new IllegalStateException("layer " + layer + " already has this step's token; call attend(), observe() or advance() before the next append");
        }
        return this;
    }

    /** This layer, if it holds a token whose step has not ended. */
    LayerState appended(int layer) {
        if (prefilled(layer).phase != Phase.APPENDED) {
            throw new IllegalStateException("layer " + layer + " has no pending token; append() the step's key and value first");
        }
        return this;
    }
}
