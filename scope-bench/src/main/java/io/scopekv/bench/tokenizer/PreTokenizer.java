package io.scopekv.bench.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into words before byte-level BPE, by {@code tokenizer.ggml.pre}: BPE never merges
 * across these boundaries. Each pre-tokenizer is a sequence of patterns applied as llama.cpp applies
 * them: every pattern splits each piece left by the previous one into its matches and the text
 * between them.
 */
public enum PreTokenizer {
    /**
     * llama.cpp's rules for a vocabulary with no {@code tokenizer.ggml.pre} or {@code default}: runs
     * of punctuation and {@code $+<=>^~|} first, then the GPT-2 rules, then runs of digits, cut into
     * groups of three. The first rule splits apostrophes off, so contractions never form.
     */
    DEFAULT("[\\p{P}\\$\\+<=>\\^~\\|]+", Patterns.GPT2, "\\p{N}+", "[0-9][0-9][0-9]"),
    /** GPT-2 (also {@code mpt}): contractions, letters, digits, other symbols, each optionally after one space. */
    GPT2(Patterns.GPT2),
    /** Llama 3: case-insensitive contractions, numbers in groups of up to three digits. */
    LLAMA3("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    /** Qwen2: as Llama 3 but every digit is its own word. */
    QWEN2("(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");

    /** Holder for a pattern two constants share (enum constants cannot refer to static fields of their enum). */
    private static final class Patterns {
        static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
    }

    /**
     * The {@code tokenizer.ggml.pre} names llama.cpp gives the Llama 3 rules together with
     * {@code ignore_merges} and BOS by default.
     */
    private static final Set<String> LLAMA3_FAMILY = Set.of("llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1",
            "pixtral", "midm-2.0", "lfm2");

    private final List<Pattern> patterns;

    PreTokenizer(String... regexes) {
        List<Pattern> compiled = new ArrayList<>();
        for (String regex : regexes) {
            compiled.add(Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS));
        }
        this.patterns = List.copyOf(compiled);
    }

    /**
     * The pre-tokenizer for a {@code tokenizer.ggml.pre} value, grouped as llama.cpp's
     * llama-vocab.cpp groups them.
     *
     * @throws IllegalArgumentException for a value this project does not know (llama.cpp would fall
     *     back to {@link #DEFAULT} with a warning; refusing is safer than tokenizing differently)
     */
    public static PreTokenizer forName(String name) {
        if (LLAMA3_FAMILY.contains(name)) {
            return LLAMA3;
        }
        return switch (name) {
            case "default" -> DEFAULT;
            case "gpt-2", "phi-2", "mpt", "olmo", "jina-es", "jina-de", "jina-v2-es", "jina-v2-de", "gigachat",
                    "exaone4" -> GPT2;
            case "smaug-bpe", "dbrx" -> LLAMA3;
            case "qwen2", "deepseek-r1-qwen" -> QWEN2;
            default -> throw new IllegalArgumentException("unsupported tokenizer.ggml.pre '" + name
                    + "'; supported: default, gpt-2, phi-2, mpt, olmo, jina-*, gigachat, exaone4, " + String.join(", ",
                    LLAMA3_FAMILY.stream().sorted().toList()) + ", smaug-bpe, dbrx, qwen2, deepseek-r1-qwen");
        };
    }

    /**
     * Whether llama.cpp tokenizes with {@code ignore_merges} (a word that is itself a vocabulary token
     * is emitted whole, without merging) and adds BOS when {@code tokenizer.ggml.add_bos_token} is
     * absent: the Llama 3 family of {@code tokenizer.ggml.pre} names.
     */
    public static boolean isLlama3Family(String name) {
        return LLAMA3_FAMILY.contains(name);
    }

    /** The words of {@code text}, in order; their concatenation is {@code text}. */
    public List<String> split(String text) {
        List<String> pieces = List.of(text);
        for (Pattern pattern : patterns) {
            List<String> next = new ArrayList<>();
            for (String piece : pieces) {
                splitOne(pattern, piece, next);
            }
            pieces = next;
        }
        return pieces;
    }

    private static void splitOne(Pattern pattern, String text, List<String> words) {
        Matcher m = pattern.matcher(text);
        int end = 0;
        while (m.find()) {
            if (m.start() > end) {
                words.add(text.substring(end, m.start()));
            }
            if (m.end() > m.start()) {
                words.add(m.group());
            }
            end = m.end();
        }
        if (end < text.length()) {
            words.add(text.substring(end));
        }
    }
}
