package io.scopekv.bench.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Byte-level BPE ({@code tokenizer.ggml.model = "gpt2"}, used by Llama 3 and Qwen2): the text is
 * split into words by a {@link PreTokenizer}, each word's UTF-8 bytes are written as printable
 * characters (GPT-2's byte-to-unicode table, so a space is {@code Ġ}), and the adjacent pair with
 * the lowest merge rank is merged until no ranked pair remains.
 *
 * <p>Words seen before are looked up in a cache, so an instance is not thread-safe.
 */
public final class ByteLevelBpeTokenizer implements Tokenizer {

    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final Map<Character, Integer> CHAR_TO_BYTE = new HashMap<>();

    static {
        // printable bytes stand for themselves; the others are moved to 256, 257, ... in byte order
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            BYTE_TO_CHAR[b] = printable ? (char) b : (char) (256 + shifted++);
            CHAR_TO_BYTE.put(BYTE_TO_CHAR[b], b);
        }
    }

    private final Vocabulary vocabulary;
    private final Map<String, Integer> ranks;
    private final PreTokenizer preTokenizer;
    private final boolean ignoreMerges;
    private final Map<String, int[]> wordCache = new HashMap<>();

    /**
     * @param merges       "left right" pairs, highest priority first ({@code tokenizer.ggml.merges})
     * @param ignoreMerges emit a word that is itself a vocabulary token whole, without merging
     *                     (llama.cpp's {@code ignore_merges}, see {@link PreTokenizer#isLlama3Family})
     */
    public ByteLevelBpeTokenizer(Vocabulary vocabulary, String[] merges, PreTokenizer preTokenizer, boolean ignoreMerges) {
        this.vocabulary = vocabulary;
        this.preTokenizer = preTokenizer;
        this.ignoreMerges = ignoreMerges;
        this.ranks = new HashMap<>(merges.length * 2);
        for (int i = 0; i < merges.length; i++) {
            int space = merges[i].indexOf(' ');
            if (space <= 0 || space == merges[i].length() - 1) {
                throw new IllegalArgumentException("merge " + i + " '" + merges[i] + "' is not 'left right'");
            }
            ranks.putIfAbsent(merges[i], i);
        }
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public int[] encode(String text) {
        List<Integer> out = new ArrayList<>();
        for (Object piece : vocabulary.splitSpecials(text)) {
            if (piece instanceof Integer special) {
                out.add(special);
                continue;
            }
            for (String word : preTokenizer.split((String) piece)) {
                for (int id : wordCache.computeIfAbsent(word, this::encodeWord)) {
                    out.add(id);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private int[] encodeWord(String word) {
        List<String> symbols = new ArrayList<>();
        StringBuilder whole = new StringBuilder();
        for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
            symbols.add(String.valueOf(BYTE_TO_CHAR[b & 0xFF]));
            whole.append(BYTE_TO_CHAR[b & 0xFF]);
        }
        int wholeId = vocabulary.id(whole.toString());
        if (ignoreMerges && wholeId >= 0) {
            return new int[] {wholeId};
        }
        while (symbols.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer rank = ranks.get(symbols.get(i) + " " + symbols.get(i + 1));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            symbols.set(best, symbols.get(best) + symbols.remove(best + 1));
        }
        int[] ids = new int[symbols.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocabulary.id(symbols.get(i));
            if (ids[i] < 0) {
                throw new IllegalArgumentException("byte-level symbol '" + symbols.get(i) + "' of word '" + word
                        + "' is not in the vocabulary; the vocabulary must hold every single byte");
            }
        }
        return ids;
    }

    @Override
    public String decode(int[] tokens, boolean skipSpecial) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : tokens) {
            String piece = vocabulary.token(id);
            int type = vocabulary.type(id);
            if (skipSpecial && type == Vocabulary.CONTROL) {
                continue;
            }
            if (type == Vocabulary.CONTROL || type == Vocabulary.USER_DEFINED) {
                byte[] utf8 = piece.getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                continue;
            }
            for (int i = 0; i < piece.length(); i++) {
                Integer b = CHAR_TO_BYTE.get(piece.charAt(i));
                if (b == null) {
                    throw new IllegalArgumentException("token " + id + " '" + piece + "' holds '" + piece.charAt(i)
                            + "', which is not a byte-level character");
                }
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The byte-level character standing for byte {@code b}. */
    public static char byteChar(int b) {
        return BYTE_TO_CHAR[b];
    }
}
