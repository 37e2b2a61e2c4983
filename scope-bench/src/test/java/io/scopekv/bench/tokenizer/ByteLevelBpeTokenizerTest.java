package io.scopekv.bench.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scopekv.bench.gguf.GgufFile;
import io.scopekv.bench.gguf.GgufValue;
import io.scopekv.bench.gguf.GgufValueType;
import io.scopekv.bench.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteLevelBpeTokenizerTest {

    private static final String[] MERGES = {"Ġ w", "o r", "Ġw or", "l d", "Ġwor ld", "h e", "l l", "he ll", "hell o"};

    @TempDir
    Path dir;

    private Tokenizer tokenizer;

    /** Ids 0..255 are the single bytes, then the merge results, then two control tokens. */
    private Path write(String model, String pre) throws IOException {
        List<String> tokens = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(ByteLevelBpeTokenizer.byteChar(b)));
            types.add(Vocabulary.NORMAL);
        }
        for (String merge : MERGES) {
            tokens.add(merge.replace(" ", ""));
            types.add(Vocabulary.NORMAL);
        }
        tokens.add("<|begin_of_text|>");
        tokens.add("<|eot_id|>");
        types.add(Vocabulary.CONTROL);
        types.add(Vocabulary.CONTROL);
        Path file = dir.resolve(model + "-" + pre + ".gguf");
        new GgufWriter()
                .put("tokenizer.ggml.model", GgufValue.string(model))
                .put("tokenizer.ggml.pre", GgufValue.string(pre))
                .put("tokenizer.ggml.tokens", GgufValue.array(GgufValueType.STRING, tokens.toArray(String[]::new)))
                .put("tokenizer.ggml.token_type", GgufValue.array(GgufValueType.INT32,
                        types.stream().mapToInt(Integer::intValue).toArray()))
                .put("tokenizer.ggml.merges", GgufValue.array(GgufValueType.STRING, MERGES))
                .put("tokenizer.ggml.bos_token_id", GgufValue.uint32(256 + MERGES.length))
                .put("tokenizer.ggml.eos_token_id", GgufValue.uint32(257 + MERGES.length))
                .put("tokenizer.ggml.add_bos_token", GgufValue.of(GgufValueType.BOOL, true))
                .write(file);
        return file;
    }

    private static Tokenizer open(Path file) throws IOException {
        try (GgufFile g = GgufFile.open(file)) {
            return Tokenizer.fromGguf(g);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        tokenizer = open(write("gpt2", "llama-bpe"));
    }

    private int id(String token) {
        return tokenizer.vocabulary().id(token);
    }

    @Test
    void mergesWordsByRank() {
        assertThat(tokenizer).isInstanceOf(ByteLevelBpeTokenizer.class);
        assertThat(tokenizer.encode("hello world")).containsExactly(id("hello"), id("Ġworld"));
        assertThat(tokenizer.encodePrompt("hello")).containsExactly(tokenizer.bosId(), id("hello"));
        // the pre-tokenizer keeps the space with the word, and no merge joins Ġ with "hello"
        assertThat(tokenizer.encode(" hello")).containsExactly(id("Ġ"), id("hello"));
    }

    @Test
    void lowerRankMergesFirst() {
        String[] tokens = {"a", "b", "c", "ab", "bc"};
        Vocabulary v = new Vocabulary(tokens, null, null, -1, -1, -1, false);
        assertThat(new ByteLevelBpeTokenizer(v, new String[] {"b c", "a b"}, PreTokenizer.GPT2, false).encode("abc"))
                .containsExactly(0, 4);
        assertThat(new ByteLevelBpeTokenizer(v, new String[] {"a b", "b c"}, PreTokenizer.GPT2, false).encode("abc"))
                .containsExactly(3, 2);
        assertThatThrownBy(() -> new ByteLevelBpeTokenizer(v, new String[] {"ab"}, PreTokenizer.GPT2, false))
                .hasMessageContaining("'ab'");
        assertThatThrownBy(() -> new ByteLevelBpeTokenizer(v, new String[0], PreTokenizer.GPT2, false).encode("abd"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'d'");
    }

    @Test
    void specialTokensAreMatchedBeforeBpe() {
        int[] ids = tokenizer.encode("<|begin_of_text|>hello<|eot_id|> world");
        assertThat(ids).containsExactly(tokenizer.bosId(), id("hello"), tokenizer.eosId(), id("Ġworld"));
        assertThat(tokenizer.decode(ids)).isEqualTo("<|begin_of_text|>hello<|eot_id|> world");
        assertThat(tokenizer.decode(ids, true)).isEqualTo("hello world");
    }

    @Test
    void roundTripsArbitraryBytes() {
        for (String text : new String[] {"hello world\n\n  x", "Grüße, 世界! 😀\t12345", "I'm here.\r\nOK", ""}) {
            assertThat(tokenizer.decode(tokenizer.encode(text))).as(text).isEqualTo(text);
        }
        // "é" is two UTF-8 bytes, each its own byte-level token here
        assertThat(tokenizer.encode("é")).containsExactly(id(String.valueOf(ByteLevelBpeTokenizer.byteChar(0xC3))),
                id(String.valueOf(ByteLevelBpeTokenizer.byteChar(0xA9))));
    }

    @Test
    void preTokenizersSplitDigitsAndContractionsAsTheirFamiliesDo() {
        assertThat(PreTokenizer.LLAMA3.split("x 12345 I'M")).containsExactly("x", " ", "123", "45", " I", "'M");
        assertThat(PreTokenizer.LLAMA3.split("Hello world!\n\n  Answer_9:")).containsExactly("Hello", " world", "!\n\n",
                " ", " Answer", "_", "9", ":");
        assertThat(PreTokenizer.QWEN2.split("12345")).containsExactly("1", "2", "3", "4", "5");
        assertThat(PreTokenizer.GPT2.split("x 12345 I'm")).containsExactly("x", " 12345", " I", "'m");
        assertThat(PreTokenizer.GPT2.split("a  b")).containsExactly("a", " ", " b");
        assertThatThrownBy(() -> PreTokenizer.forName("falcon")).hasMessageContaining("falcon");
    }

    /**
     * llama.cpp's default rules (no {@code tokenizer.ggml.pre}, or {@code default}): runs of
     * punctuation and {@code $+<=>^~|} are split off first, then the GPT-2 rules apply inside each
     * piece, then digit runs are split off and cut into groups of three.
     */
    @Test
    void defaultPreTokenizerFollowsLlamaCppNotGpt2() {
        assertThat(PreTokenizer.DEFAULT.split(" (hi) 12345 $x"))
                .containsExactly(" ", "(", "hi", ")", " ", "123", "45", " ", "$", "x");
        assertThat(PreTokenizer.GPT2.split(" (hi) 12345 $x")).containsExactly(" (", "hi", ")", " 12345", " $", "x");
        assertThat(PreTokenizer.DEFAULT.split("I'm a+=b`c")).containsExactly("I", "'", "m", " a", "+=", "b", "`", "c");
        assertThat(PreTokenizer.forName("default")).isEqualTo(PreTokenizer.DEFAULT);
        assertThat(PreTokenizer.forName("mpt")).isEqualTo(PreTokenizer.GPT2);
        assertThat(PreTokenizer.forName("gpt-2")).isEqualTo(PreTokenizer.GPT2);
    }

    /** A vocabulary of the 256 byte tokens and the given extra tokens, with the given merges. */
    private Tokenizer small(String pre, Boolean addBos, String[] extra, String[] merges) throws IOException {
        List<String> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(ByteLevelBpeTokenizer.byteChar(b)));
        }
        tokens.addAll(List.of(extra));
        tokens.add("<|begin_of_text|>");
        GgufWriter w = new GgufWriter()
                .put("tokenizer.ggml.model", GgufValue.string("gpt2"))
                .put("tokenizer.ggml.tokens", GgufValue.array(GgufValueType.STRING, tokens.toArray(String[]::new)))
                .put("tokenizer.ggml.merges", GgufValue.array(GgufValueType.STRING, merges))
                .put("tokenizer.ggml.bos_token_id", GgufValue.uint32(tokens.size() - 1));
        if (pre != null) {
            w.put("tokenizer.ggml.pre", GgufValue.string(pre));
        }
        if (addBos != null) {
            w.put("tokenizer.ggml.add_bos_token", GgufValue.of(GgufValueType.BOOL, addBos));
        }
        Path file = dir.resolve("small-" + pre + "-" + addBos + ".gguf");
        w.write(file);
        return open(file);
    }

    @Test
    void vocabularyWithoutPreUsesTheDefaultRules() throws IOException {
        String[] extra = {"Ġ("};
        String[] merges = {"Ġ ("};
        // ids 0-255 are the bytes: the default rules split " (" into " " (32) and "(" (40), so no merge joins them
        assertThat(small(null, null, extra, merges).encode(" (")).containsExactly(32, 40);
        assertThat(small("default", null, extra, merges).encode(" (")).containsExactly(32, 40);
        assertThat(small("gpt-2", null, extra, merges).encode(" (")).containsExactly(256);
        assertThat(small("mpt", null, extra, merges).encode(" (")).containsExactly(256);
    }

    /** llama.cpp's {@code ignore_merges} for Llama 3: a word that is a token is emitted whole. */
    @Test
    void llama3EmitsWholeWordTokensWithoutMergingAndAddsBosByDefault() throws IOException {
        String[] extra = {"ab", "abc", "bc"};
        String[] merges = {"b c", "a bc"}; // "abc" can be built from merges, "ab" cannot
        Tokenizer llama3 = small("llama-bpe", null, extra, merges);
        assertThat(llama3.encode("ab")).containsExactly(256);
        assertThat(llama3.encode("abc")).containsExactly(257);
        assertThat(llama3.encode("abd")).containsExactly(97, 98, 100); // not a token: bytes, as no merge applies
        assertThat(llama3.addBos()).isTrue();
        assertThat(small("llama3", null, extra, merges).encode("ab")).containsExactly(256);
        assertThat(small("llama-bpe", false, extra, merges).addBos()).isFalse();
        Tokenizer gpt2 = small("gpt-2", null, extra, merges);
        assertThat(gpt2.encode("ab")).containsExactly(97, 98);
        assertThat(gpt2.addBos()).isFalse();
    }

    /** As llama.cpp builds its token-to-id map, a string that appears twice maps to its last id. */
    @Test
    void duplicateTokenStringsResolveToTheLastId() {
        Vocabulary v = new Vocabulary(new String[] {"a", "b", "a", "ab", "b"}, null, null, -1, -1, -1, false);
        assertThat(v.id("a")).isEqualTo(2);
        assertThat(v.id("b")).isEqualTo(4);
        assertThat(new ByteLevelBpeTokenizer(v, new String[0], PreTokenizer.GPT2, false).encode("ba")).containsExactly(4, 2);
    }

    @Test
    void unknownTokenizerModelIsRejected() throws IOException {
        Path file = write("bert", "default");
        assertThatThrownBy(() -> open(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bert'").hasMessageContaining("gpt2");
    }
}
