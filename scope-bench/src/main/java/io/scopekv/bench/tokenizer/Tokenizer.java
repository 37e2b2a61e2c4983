package io.scopekv.bench.tokenizer;

import io.scopekv.bench.gguf.GgufFile;

/** Text to token ids and back, for one model's vocabulary. */
public interface Tokenizer {

    /** Token ids of {@code text}, without BOS; special tokens written literally become their ids. */
    int[] encode(String text);

    /** The text of {@code tokens}; special tokens are written as their text. */
    default String decode(int[] tokens) {
        return decode(tokens, false);
    }

    /**
     * The text of {@code tokens}.
     *
     * @param skipSpecial leave out control tokens (BOS, EOS, chat markers), as generated text is usually shown
     */
    String decode(int[] tokens, boolean skipSpecial);

    Vocabulary vocabulary();

    /** Id of the beginning-of-sequence token, or -1. */
    default int bosId() {
        return vocabulary().bosId();
    }

    /** Id of the end-of-sequence token, or -1. */
    default int eosId() {
        return vocabulary().eosId();
    }

    /** Whether prompts should start with BOS ({@code tokenizer.ggml.add_bos_token}). */
    default boolean addBos() {
        return vocabulary().addBos();
    }

    /** {@link #encode} with BOS prepended when the model asks for it. */
    default int[] encodePrompt(String text) {
        int[] body = encode(text);
        if (!addBos() || bosId() < 0) {
            return body;
        }
        int[] out = new int[body.length + 1];
        out[0] = bosId();
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /**
     * The tokenizer a GGUF file describes.
     *
     * @throws IllegalArgumentException for a tokenizer model other than {@code llama} and {@code gpt2}
     */
    static Tokenizer fromGguf(GgufFile gguf) {
        Vocabulary vocabulary = Vocabulary.fromGguf(gguf);
        String model = gguf.getString("tokenizer.ggml.model");
        return switch (model) {
            case "llama" -> new SentencePieceTokenizer(vocabulary,
                    !gguf.has("tokenizer.ggml.add_space_prefix")
                            || (Boolean) gguf.value("tokenizer.ggml.add_space_prefix").value());
            case "gpt2" -> {
                String pre = preTokenizerName(gguf);
                yield new ByteLevelBpeTokenizer(vocabulary, gguf.getStringArray("tokenizer.ggml.merges"),
                        PreTokenizer.forName(pre), PreTokenizer.isLlama3Family(pre));
            }
            default -> throw new IllegalArgumentException("unsupported tokenizer.ggml.model '" + model
                    + "'; supported: llama (SentencePiece), gpt2 (byte-level BPE)");
        };
    }

    /** {@code tokenizer.ggml.pre}, or {@code default} when absent, as llama.cpp reads it. */
    static String preTokenizerName(GgufFile gguf) {
        return gguf.has("tokenizer.ggml.pre") ? gguf.getString("tokenizer.ggml.pre") : "default";
    }
}
