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

class SentencePieceTokenizerTest {

    private static final String[] WORDS = {"▁", "h", "e", "l", "o", "w", "r", "d", "he", "ll", "llo", "hello",
        "▁hello", "▁w", "or", "ld", "▁wor", "▁world"};

    @TempDir
    Path dir;

    private Tokenizer tokenizer;

    @BeforeEach
    void writeVocabulary() throws IOException {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Integer> types = new ArrayList<>(List.of(Vocabulary.UNKNOWN, Vocabulary.CONTROL, Vocabulary.CONTROL));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(Vocabulary.BYTE);
        }
        for (String w : WORDS) {
            tokens.add(w);
            types.add(Vocabulary.NORMAL);
        }
        tokens.add("<|im_end|>");
        types.add(Vocabulary.CONTROL);
        float[] scores = new float[tokens.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = tokens.get(i).length(); // longer pieces first
        }
        Path file = dir.resolve("spm.gguf");
        new GgufWriter()
                .put("tokenizer.ggml.model", GgufValue.string("llama"))
                .put("tokenizer.ggml.tokens", GgufValue.array(GgufValueType.STRING, tokens.toArray(String[]::new)))
                .put("tokenizer.ggml.scores", GgufValue.array(GgufValueType.FLOAT32, scores))
                .put("tokenizer.ggml.token_type", GgufValue.array(GgufValueType.INT32,
                        types.stream().mapToInt(Integer::intValue).toArray()))
                .put("tokenizer.ggml.bos_token_id", GgufValue.uint32(1))
                .put("tokenizer.ggml.eos_token_id", GgufValue.uint32(2))
                .put("tokenizer.ggml.unknown_token_id", GgufValue.uint32(0))
                .write(file);
        try (GgufFile g = GgufFile.open(file)) {
            tokenizer = Tokenizer.fromGguf(g);
        }
    }

    private int id(String token) {
        return tokenizer.vocabulary().id(token);
    }

    private static int byteId(int b) {
        return 3 + b;
    }

    @Test
    void mergesByScoreIntoWholeWords() {
        assertThat(tokenizer).isInstanceOf(SentencePieceTokenizer.class);
        assertThat(tokenizer.encode("hello world")).containsExactly(id("▁hello"), id("▁world"));
        assertThat(tokenizer.encodePrompt("hello")).containsExactly(1, id("▁hello"));
        assertThat(tokenizer.bosId()).isEqualTo(1);
        assertThat(tokenizer.eosId()).isEqualTo(2);
        assertThat(tokenizer.decode(new int[] {id("▁hello"), id("▁world")})).isEqualTo("hello world");
    }

    @Test
    void unknownCharactersFallBackToUtf8Bytes() {
        int[] ids = tokenizer.encode("hi€");
        // "i" is not a piece: one byte token; "€" is E2 82 AC
        assertThat(ids).containsExactly(id("▁"), id("h"), byteId(0x69), byteId(0xE2), byteId(0x82), byteId(0xAC));
        assertThat(tokenizer.decode(ids)).isEqualTo("hi€");
    }

    /** As in llama.cpp, the text after every special token gets the space prefix again. */
    @Test
    void specialTokensAreMatchedBeforeMergingAndFollowedByTheSpacePrefix() {
        int[] ids = tokenizer.encode("hello<|im_end|>world");
        assertThat(ids).containsExactly(id("▁hello"), id("<|im_end|>"), id("▁world"));
        assertThat(tokenizer.decode(ids)).isEqualTo("hello<|im_end|> world");
        assertThat(tokenizer.decode(ids, true)).isEqualTo("hello world");
        assertThat(tokenizer.encode("<s>hello")).containsExactly(1, id("▁hello"));
        assertThat(tokenizer.encode("hello</s>")).containsExactly(id("▁hello"), 2);
    }

    /** llama.cpp treats UNKNOWN-type tokens as specials: {@code <unk>} written in the text is id 0. */
    @Test
    void unknownTypeTokensAreSpecials() {
        assertThat(tokenizer.encode("hello<unk>world")).containsExactly(id("▁hello"), 0, id("▁world"));
    }

    @Test
    void roundTripsArbitraryText() {
        for (String text : new String[] {"hello  world\n", "wörld ✓ 😀", "\tx<s>", "low low ol"}) {
            assertThat(tokenizer.decode(tokenizer.encode(text))).as(text).isEqualTo(text);
        }
    }

    @Test
    void higherScoreWinsAndTiesGoLeft() {
        String[] tokens = {"a", "b", "c", "ab", "bc"};
        SentencePieceTokenizer bcFirst = new SentencePieceTokenizer(
                new Vocabulary(tokens, new float[] {0, 0, 0, 1, 2}, null, -1, -1, -1, false), false);
        assertThat(bcFirst.encode("abc")).containsExactly(0, 4);
        SentencePieceTokenizer abFirst = new SentencePieceTokenizer(
                new Vocabulary(tokens, new float[] {0, 0, 0, 3, 2}, null, -1, -1, -1, false), false);
        assertThat(abFirst.encode("abc")).containsExactly(3, 2);
        SentencePieceTokenizer tie = new SentencePieceTokenizer(
                new Vocabulary(tokens, new float[] {0, 0, 0, 2, 2}, null, -1, -1, -1, false), false);
        assertThat(tie.encode("abc")).containsExactly(3, 2);
        assertThatThrownBy(() -> abFirst.encode("abz")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'z'");
    }
}
