package io.scopekv.bench.tokenizer;

import io.scopekv.bench.gguf.GgufFile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token strings with their scores and types (GGUF {@code tokenizer.ggml.tokens}, {@code .scores},
 * {@code .token_type}).
 */
public final class Vocabulary {

    /** GGUF token types. */
    public static final int NORMAL = 1;
    public static final int UNKNOWN = 2;
    public static final int CONTROL = 3;
    public static final int USER_DEFINED = 4;
    public static final int UNUSED = 5;
    public static final int BYTE = 6;

    private final String[] tokens;
    private final float[] scores;
    private final int[] types;
    private final Map<String, Integer> ids;
    private final List<Integer> specialsLongestFirst;
    private final int bosId;
    private final int eosId;
    private final int unknownId;
    private final boolean addBos;

    /**
     * @param tokens token strings
     * @param scores merge scores, or null (BPE vocabularies need none)
     * @param types  token types, or null for all NORMAL
     */
    public Vocabulary(String[] tokens, float[] scores, int[] types, int bosId, int eosId, int unknownId, boolean addBos) {
        if (tokens == null || tokens.length == 0) {
            throw new IllegalArgumentException("vocabulary must not be empty");
        }
        if ((scores != null && scores.length != tokens.length) || (types != null && types.length != tokens.length)) {
            throw new IllegalArgumentException("scores and types must have one entry per token (" + tokens.length + ")");
        }
        for (int id : new int[] {bosId, eosId, unknownId}) {
            if (id < -1 || id >= tokens.length) {
                throw new IllegalArgumentException("special token id " + id + " is outside the vocabulary of " + tokens.length);
            }
        }
        this.tokens = tokens.clone();
        this.scores = scores == null ? null : scores.clone();
        this.types = types == null ? null : types.clone();
        this.bosId = bosId;
        this.eosId = eosId;
        this.unknownId = unknownId;
        this.addBos = addBos;
        this.ids = new HashMap<>(tokens.length * 2);
        List<Integer> specials = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            // the last id wins for duplicated strings, as llama.cpp builds its token-to-id map
            ids.put(tokens[i], i);
            // llama.cpp matches UNKNOWN-type tokens (<unk>) in the text as it matches control tokens
            if ((type(i) == CONTROL || type(i) == USER_DEFINED || type(i) == UNKNOWN) && !tokens[i].isEmpty()) {
                specials.add(i);
            }
        }
        specials.sort(Comparator.comparingInt((Integer i) -> -tokens[i].length()).thenComparingInt(i -> i));
        this.specialsLongestFirst = List.copyOf(specials);
    }

    /** The GGUF keys of the special token ids. */
    public static final List<String> SPECIAL_ID_KEYS = List.of("tokenizer.ggml.bos_token_id",
            "tokenizer.ggml.eos_token_id", "tokenizer.ggml.unknown_token_id", "tokenizer.ggml.eot_token_id");

    /**
     * Checks that every special token id a GGUF file declares is a token of a vocabulary of
     * {@code size}, whichever command reads it.
     *
     * @throws IllegalArgumentException naming the file, the key, the id and the size
     */
    public static void requireSpecialIds(GgufFile gguf, int size) {
        for (String key : SPECIAL_ID_KEYS) {
            if (gguf.has(key)) {
                int id = gguf.getInt(key);
                if (id < 0 || id >= size) {
                    throw new IllegalArgumentException(gguf.path() + ": " + key + " = " + id + " is outside the vocabulary of "
                            + size + " tokens");
                }
            }
        }
    }

    static Vocabulary fromGguf(GgufFile gguf) {
        String[] tokens = gguf.getStringArray("tokenizer.ggml.tokens");
        requireSpecialIds(gguf, tokens.length);
        float[] scores = gguf.has("tokenizer.ggml.scores") ? gguf.getFloatArray("tokenizer.ggml.scores") : null;
        int[] types = gguf.has("tokenizer.ggml.token_type") ? gguf.getIntArray("tokenizer.ggml.token_type") : null;
        String model = gguf.getString("tokenizer.ggml.model");
        // without the key, llama.cpp adds BOS for SentencePiece and for the Llama 3 family of BPE vocabularies
        boolean addBos = gguf.has("tokenizer.ggml.add_bos_token")
                ? (Boolean) gguf.value("tokenizer.ggml.add_bos_token").value()
                : model.equals("llama") || (model.equals("gpt2") && PreTokenizer.isLlama3Family(Tokenizer.preTokenizerName(gguf)));
        return new Vocabulary(tokens, scores, types, gguf.getInt("tokenizer.ggml.bos_token_id", -1),
                gguf.getInt("tokenizer.ggml.eos_token_id", -1), gguf.getInt("tokenizer.ggml.unknown_token_id", -1), addBos);
    }

    public int size() {
        return tokens.length;
    }

    public String token(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + tokens.length + ")");
        }
        return tokens[id];
    }

    /** The id of a token string, or -1. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    public float score(int id) {
        return scores == null ? 0f : scores[id];
    }

    public int type(int id) {
        return types == null ? NORMAL : types[id];
    }

    public int bosId() {
        return bosId;
    }

    public int eosId() {
        return eosId;
    }

    public int unknownId() {
        return unknownId;
    }

    public boolean addBos() {
        return addBos;
    }

    /**
     * Splits {@code text} into literal special tokens and the plain text between them; at each
     * position the longest special token wins.
     *
     * @return pieces in order: an {@link Integer} id for a special token, a {@link String} otherwise
     */
    List<Object> splitSpecials(String text) {
        List<Object> pieces = new ArrayList<>();
        int plainStart = 0;
        int i = 0;
        outer:
        while (i < text.length()) {
            for (int id : specialsLongestFirst) {
                if (text.startsWith(tokens[id], i)) {
                    if (i > plainStart) {
                        pieces.add(text.substring(plainStart, i));
                    }
                    pieces.add(id);
                    i += tokens[id].length();
                    plainStart = i;
                    continue outer;
                }
            }
            i++;
        }
        if (plainStart < text.length()) {
            pieces.add(text.substring(plainStart));
        }
        return pieces;
    }

    @Override
    public String toString() {
        return "Vocabulary[" + tokens.length + " tokens, bos=" + bosId + ", eos=" + eosId + ", specials="
                + Arrays.toString(specialsLongestFirst.stream().limit(5).map(i -> tokens[i]).toArray()) + "]";
    }
}
