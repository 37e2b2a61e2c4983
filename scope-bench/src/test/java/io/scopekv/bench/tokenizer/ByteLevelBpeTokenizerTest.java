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
        assertThat(new ByteLevelBpeTokenizer(v, new String[] {"b c", "a b"}, PreTokenizer.GPT2).encode("abc"))
                .containsExactly(0, 4);
        assertThat(new ByteLevelBpeTokenizer(v, new String[] {"a b", "b c"}, PreTokenizer.GPT2).encode("abc"))
                .containsExactly(3, 2);
        assertThatThrownBy(() -> new ByteLevelBpeTokenizer(v, new String[] {"ab"}, PreTokenizer.GPT2))
                .hasMessageContaining("'ab'");
        assertThatThrownBy(() -> new ByteLevelBpeTokenizer(v, new String[0], PreTokenizer.GPT2).encode("abd"))
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

    @Test
    void unknownTokenizerModelIsRejected() throws IOException {
        Path file = write("bert", "default");
        assertThatThrownBy(() -> open(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bert'").hasMessageContaining("gpt2");
    }
}
