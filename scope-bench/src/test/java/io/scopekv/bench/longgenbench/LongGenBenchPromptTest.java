package io.scopekv.bench.longgenbench;

import static org.assertj.core.api.Assertions.assertThat;

import io.scopekv.bench.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The prompt of the real data, which lives next to the project as {@code ../shared/data/longgenbench}. */
class LongGenBenchPromptTest {

    @Test
    void firstGsm8kExampleFollowsTheTemplate() throws IOException {
        Path data = SharedData.folder("longgenbench", "gsm8k_30.jsonl");
        String readme = Files.readString(data.resolve("README.md")).replaceAll("\\s+", " ");
        assertThat(readme).contains(PromptFormat.SYSTEM_PROMPT);

        List<LongGenBenchExample> examples = LongGenBenchExample.load(data.resolve("gsm8k_30.jsonl"));
        assertThat(examples).hasSize(43);
        LongGenBenchExample first = examples.get(0);
        assertThat(first.questions()).hasSize(30);
        assertThat(first.answers()).hasSize(30);
        assertThat(LongGenBenchTask.GSM8K.gold(first.answers().get(0))).isEqualTo("18");
        assertThat(first.prompt()).startsWith("Examples: \nQuestion_1: \n")
                .contains("\nQuestion_9:\n" + first.questions().get(0) + "\n")
                .endsWith("\nQuestion_38:\n" + first.questions().get(29) + "\n\n");

        assertThat(PromptFormat.LLAMA3.build(first))
                .isEqualTo("<<SYS>>\n " + PromptFormat.SYSTEM_PROMPT + " \n<</SYS>>\n\n" + first.prompt());
        assertThat(PromptFormat.LLAMA2.build(first))
                .isEqualTo("[INST] <<SYS>>\n " + PromptFormat.SYSTEM_PROMPT + " \n<</SYS>>\n\n" + first.prompt() + " [/INST]");
        assertThat(PromptFormat.PLAIN.build(first)).isEqualTo(PromptFormat.SYSTEM_PROMPT + "\n\n" + first.prompt());
    }
}
