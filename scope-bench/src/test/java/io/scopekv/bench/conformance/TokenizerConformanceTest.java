package io.scopekv.bench.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.scopekv.bench.conformance.LlamaCppData.Expected;
import io.scopekv.bench.gguf.GgufFile;
import io.scopekv.bench.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokenizers against llama.cpp's own tokenizer conformance vectors ({@code vocab/}: a
 * vocabulary-only GGUF file, texts in {@code .inp} separated by {@code __ggml_vocab_test__} lines,
 * llama.cpp's ids without BOS in {@code .out}, one line per text), and against the prompt ids
 * llama.cpp's tools produced for the models in {@code models/}.
 */
class TokenizerConformanceTest {

    private static final Logger LOG = LoggerFactory.getLogger(TokenizerConformanceTest.class);
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";
    private static final String PROMPT = "Once upon a time, there was a little girl named Lily. She loved to play outside";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"llama-spm", "phi-3", "gpt-2", "mpt"})
    void everyConformanceVectorTokenizesAsInLlamaCpp(String vocab) throws IOException {
        Path file = LlamaCppData.vocab(vocab);
        String inp = Files.readString(Path.of(file + ".inp"), StandardCharsets.UTF_8);
        List<String> texts = new ArrayList<>(Arrays.asList(inp.split(SEPARATOR, -1)));
        if (texts.get(texts.size() - 1).isEmpty()) {
            texts.remove(texts.size() - 1); // the file ends with a separator
        }
        List<String> outs = Files.readAllLines(Path.of(file + ".out"), StandardCharsets.UTF_8);
        assertThat(outs).as("%s: one .out line per .inp text", vocab).hasSameSizeAs(texts);
        Tokenizer tokenizer;
        try (GgufFile gguf = GgufFile.open(file)) {
            tokenizer = Tokenizer.fromGguf(gguf);
        }
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            int[] expected = outs.get(i).isBlank() ? new int[0]
                    : Arrays.stream(outs.get(i).trim().split(" ")).mapToInt(Integer::parseInt).toArray();
            int[] actual = tokenizer.encode(texts.get(i));
            if (!Arrays.equals(actual, expected)) {
                failures.add("text " + i + " '" + texts.get(i).replace("\n", "\\n").replace("\t", "\\t") + "': expected "
                        + Arrays.toString(expected) + ", got " + Arrays.toString(actual));
            }
        }
        LOG.info("{}: {}/{} conformance vectors match llama.cpp", vocab, texts.size() - failures.size(), texts.size());
        assertThat(failures).as("%s: %d of %d texts tokenize differently", vocab, failures.size(), texts.size()).isEmpty();
    }

    /**
     * Special tokens written in the text, as llama.cpp parses them on the real Llama 2 vocabulary:
     * the space prefix comes back after every special token, and {@code <unk>} (UNKNOWN type) is a
     * special token too. The ids are llama.cpp's.
     */
    @Test
    void specialTokensInTextAreParsedAsInLlamaCpp() throws IOException {
        try (GgufFile gguf = GgufFile.open(LlamaCppData.vocab("llama-spm"))) {
            Tokenizer tokenizer = Tokenizer.fromGguf(gguf);
            assertThat(tokenizer.encode("<s>Hello")).containsExactly(1, 15043);
            assertThat(tokenizer.encode("a<unk>b")).containsExactly(263, 0, 289);
            assertThat(tokenizer.encode("Hello</s>World")).containsExactly(15043, 2, 2787);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"stories260K", "llama-2-tiny-random"})
    void promptTokenizesAsInLlamaCpp(String model) throws IOException {
        try (GgufFile gguf = GgufFile.open(LlamaCppData.model(model))) {
            Tokenizer tokenizer = Tokenizer.fromGguf(gguf);
            int[] expected = Expected.read(model, tokenizer.vocabulary().size()).prompt();
            assertThat(tokenizer.encodePrompt(PROMPT)).isEqualTo(expected);
        }
    }
}
