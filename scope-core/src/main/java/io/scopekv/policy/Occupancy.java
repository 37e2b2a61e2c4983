package io.scopekv.policy;

/** What one layer of a cache holds when its decoding strategy decides. Read-only. */
public interface Occupancy {

    /** Storage heads. */
    int heads();

    /** The first decoding-phase position: one past the last prompt position. */
    int promptEnd();

    /** Tokens the head kept at prefill (the P of a unified P + W budget); never changes. */
    int prefillKept(int head);

    /** Tokens the head holds now, prompt and decoding. */
    int held(int head);

    /** Decoding-phase tokens (positions from {@link #promptEnd()}) the head holds now. */
    int decoding(int head);
}
