package io.scopekv.bench.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * SentencePiece-style tokenization ({@code tokenizer.ggml.model = "llama"}): spaces become
 * {@code ▁} (U+2581), a {@code ▁} is prepended to the text and, as llama.cpp does, to the text after
 * every special token when the model asks for a space prefix, the text
 * starts as single characters, and the adjacent pair whose concatenation is a vocabulary token
 * with the highest score is merged until no pair is a token (ties go to the leftmost pair). A
 * piece that is still not a token is spelled as its UTF-8 bytes with {@code <0xNN>} tokens.
 */
public final class SentencePieceTokenizer implements Tokenizer {

    static final char SPACE = '\u2581';

    private final Vocabulary vocabulary;
    private final boolean addSpacePrefix;
    private final int[] byteTokens = new int[256];

    public SentencePieceTokenizer(Vocabulary vocabulary, boolean addSpacePrefix) {
        this.vocabulary = vocabulary;
        this.addSpacePrefix = addSpacePrefix;
        for (int b = 0; b < 256; b++) {
            byteTokens[b] = vocabulary.id(String.format("<0x%02X>", b));
        }
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public int[] encode(String text) {
        List<Integer> out = new ArrayList<>();
        // as in llama.cpp, the text's start and the text after every special token get the prefix
        boolean afterSpecial = true;
        for (Object piece : vocabulary.splitSpecials(text)) {
            if (piece instanceof Integer special) {
                out.add(special);
                afterSpecial = true;
            } else {
                String plain = ((String) piece).replace(' ', SPACE);
                encodePlain(afterSpecial && addSpacePrefix ? SPACE + plain : plain, out);
                afterSpecial = false;
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A candidate merge of symbols {@code left} and {@code right}, valid while both keep these lengths. */
    private record Bigram(int left, int right, float score, int leftLength, int rightLength) {
    }

    private void encodePlain(String text, List<Integer> out) {
        int n = text.codePointCount(0, text.length());
        int[] start = new int[n];
        int[] length = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0, offset = 0; i < n; i++) {
            start[i] = offset;
            length[i] = Character.charCount(text.codePointAt(offset));
            offset += length[i];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) ->
                a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        for (int i = 0; i + 1 < n; i++) {
            offer(queue, text, start, length, i, i + 1);
        }
        while (!queue.isEmpty()) {
            Bigram b = queue.poll();
            if (length[b.left] != b.leftLength || length[b.right] != b.rightLength) {
                continue; // one side was merged since this candidate was queued
            }
            length[b.left] += length[b.right];
            length[b.right] = 0;
            next[b.left] = next[b.right];
            if (next[b.right] >= 0) {
                prev[next[b.right]] = b.left;
            }
            if (prev[b.left] >= 0) {
                offer(queue, text, start, length, prev[b.left], b.left);
            }
            if (next[b.left] >= 0) {
                offer(queue, text, start, length, b.left, next[b.left]);
            }
        }
        for (int i = 0; i >= 0 && n > 0; i = next[i]) {
            String symbol = text.substring(start[i], start[i] + length[i]);
            int id = vocabulary.id(symbol);
            if (id >= 0) {
                out.add(id);
                continue;
            }
            for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
                int byteId = byteTokens[b & 0xFF];
                if (byteId < 0 && vocabulary.unknownId() < 0) {
                    throw new IllegalArgumentException("'" + symbol + "' is not in the vocabulary, which has neither a byte token <0x"
                            + String.format("%02X", b & 0xFF) + "> nor an unknown token");
                }
                out.add(byteId >= 0 ? byteId : vocabulary.unknownId());
            }
        }
    }

    private void offer(PriorityQueue<Bigram> queue, String text, int[] start, int[] length, int left, int right) {
        int id = vocabulary.id(text.substring(start[left], start[right] + length[right]));
        if (id >= 0) {
            queue.add(new Bigram(left, right, vocabulary.score(id), length[left], length[right]));
        }
    }

    @Override
    public String decode(int[] tokens, boolean skipSpecial) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : tokens) {
            String piece = vocabulary.token(id);
            if (skipSpecial && vocabulary.type(id) == Vocabulary.CONTROL) {
                continue;
            }
            if (vocabulary.type(id) == Vocabulary.BYTE || isByteToken(piece)) {
                bytes.write(Integer.parseInt(piece.substring(3, 5), 16));
            } else {
                byte[] utf8 = piece.replace(SPACE, ' ').getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        // the prefix space belongs to the tokenization, not to the text
        return addSpacePrefix && text.startsWith(" ") && tokens.length > 0 && startsWithSpacePiece(tokens[0])
                ? text.substring(1) : text;
    }

    private boolean startsWithSpacePiece(int id) {
        return vocabulary.token(id).startsWith(String.valueOf(SPACE)) || id == byteTokens[' '];
    }

    private static boolean isByteToken(String piece) {
        return piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">");
    }
}
