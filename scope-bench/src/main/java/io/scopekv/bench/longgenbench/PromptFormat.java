package io.scopekv.bench.longgenbench;

/**
 * How the system instruction and an example's prompt are joined, following the reference harness
 * of the SCOPE paper. The tokenizer adds BOS in front when the model asks for it.
 */
public enum PromptFormat {
    /** The reference harness's choice for Llama 3 models: {@code <<SYS>>\n {system} \n<</SYS>>\n\n{prompt}}. */
    LLAMA3,
    /** Llama 2 chat: {@code [INST] <<SYS>>\n {system} \n<</SYS>>\n\n{prompt} [/INST]}. */
    LLAMA2,
    /** Any other model: {@code {system}\n\n{prompt}}. */
    PLAIN;

    /** The paper's instruction, the same for GSM8K, MMLU and CSQA. */
    public static final String SYSTEM_PROMPT = "Answer each question step by step, adhering to the format shown in the "
            + "examples provided. Start each response with 'Answer_' and introduce the final response with "
            + "'The answer is'. Do not repeat the question. Ensure that you respond to all the questions presented, "
            + "regardless of their number.";

    /** The full prompt text of one example. */
    public String build(LongGenBenchExample example) {
        return switch (this) {
            case LLAMA3 -> "<<SYS>>\n " + SYSTEM_PROMPT + " \n<</SYS>>\n\n" + example.prompt();
            case LLAMA2 -> "[INST] <<SYS>>\n " + SYSTEM_PROMPT + " \n<</SYS>>\n\n" + example.prompt() + " [/INST]";
            case PLAIN -> SYSTEM_PROMPT + "\n\n" + example.prompt();
        };
    }
}
