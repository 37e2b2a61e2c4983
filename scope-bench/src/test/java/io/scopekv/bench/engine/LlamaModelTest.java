package io.scopekv.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scopekv.bench.gguf.GgmlType;
import io.scopekv.bench.gguf.GgufFile;
import io.scopekv.bench.gguf.GgufTensorInfo;
import io.scopekv.bench.gguf.GgufValue;
import io.scopekv.bench.gguf.GgufWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaModelTest {

    @TempDir
    Path dir;

    /** A copy of a GGUF file with some metadata replaced and some tensors dropped or re-shaped. */
    private Path rewrite(Path source, Map<String, GgufValue> metadata, Set<String> drop, String reshape, long[] dims)
            throws IOException {
        GgufWriter w = new GgufWriter();
        try (GgufFile g = GgufFile.open(source)) {
            g.metadata().forEach(w::put);
            metadata.forEach(w::put);
            for (GgufTensorInfo t : g.tensors().values()) {
                if (drop.contains(t.name())) {
                    continue;
                }
                ByteBuffer raw = g.rawData(t);
                byte[] bytes = new byte[raw.remaining()];
                raw.get(bytes);
                w.rawTensor(t.name(), t.type(), t.name().equals(reshape) ? dims : t.dims(), bytes);
            }
        }
        Path out = dir.resolve("rewritten-" + System.nanoTime() + ".gguf");
        w.write(out);
        return out;
    }

    @Test
    void readsTheConfigurationFromMetadata() throws IOException {
        Path file = RandomModel.llama(4, 2, GgmlType.F32).write(dir);
        try (LlamaModel model = LlamaModel.load(file)) {
            assertThat(model.config()).isEqualTo(new LlamaConfig("llama", 64, 2, 4, 2, 16, 96, 96, 256, 1e-5f, 500f, 1f,
                    RopeStyle.INTERLEAVED));
            assertThat(model.ropeFrequencies()[0]).isEqualTo(1f);
        }
        Path linear = rewrite(file, Map.of("llama.rope.scaling.type", GgufValue.string("linear"),
                "llama.rope.scaling.factor", GgufValue.float32(4f)), Set.of(), null, null);
        try (LlamaModel model = LlamaModel.load(linear)) {
            assertThat(model.config().ropeLinearFactor()).isEqualTo(4f);
            assertThat(model.ropeFrequencies()[0]).isEqualTo(0.25f);
        }
        try (LlamaModel model = LlamaModel.load(RandomModel.llama(4, 2, GgmlType.F32).withBiases().write(dir))) {
            assertThat(model.config().ropeStyle()).isEqualTo(RopeStyle.HALF_SPLIT);
            assertThat(model.layer(0).bq()).hasSize(64);
        }
    }

    /**
     * As llama.cpp reads RoPE scaling: the type defaults to linear, its factor is
     * {@code rope.scaling.factor} or else the legacy {@code rope.scale_linear}, a factor of 0 means
     * none, and type none never scales.
     */
    @Test
    void ropeScalingWithoutATypeIsLinearAsInLlamaCpp() throws IOException {
        Path file = RandomModel.llama(4, 2, GgmlType.F32).write(dir);
        Map<Map<String, GgufValue>, Float> cases = Map.of(
                Map.of("llama.rope.scale_linear", GgufValue.float32(4f)), 4f,
                Map.of("llama.rope.scaling.factor", GgufValue.float32(4f)), 4f,
                Map.of("llama.rope.scaling.factor", GgufValue.float32(2f), "llama.rope.scale_linear", GgufValue.float32(8f)), 2f,
                Map.of("llama.rope.scaling.factor", GgufValue.float32(0f)), 1f,
                Map.of("llama.rope.scaling.type", GgufValue.string("none"), "llama.rope.scaling.factor", GgufValue.float32(4f)), 1f,
                Map.of("llama.rope.scaling.type", GgufValue.string("linear"), "llama.rope.scale_linear", GgufValue.float32(3f)), 3f);
        for (Map.Entry<Map<String, GgufValue>, Float> c : cases.entrySet()) {
            try (LlamaModel model = LlamaModel.load(rewrite(file, c.getKey(), Set.of(), null, null))) {
                assertThat(model.config().ropeLinearFactor()).as("%s", c.getKey().keySet()).isEqualTo(c.getValue());
                assertThat(model.ropeFrequencies()[0]).as("%s", c.getKey().keySet()).isEqualTo(1f / c.getValue());
            }
        }
    }

    @Test
    void loadsAQ4KMFileWhoseRowsFellBackToSmallerBlocks() throws IOException {
        Path file = LlamaSessionTest.fallbackModel().write(dir);
        try (GgufFile g = GgufFile.open(file)) {
            assertThat(g.tensor("blk.0.attn_q.weight").type()).isEqualTo(GgmlType.Q5_0);
            assertThat(g.tensor("blk.0.ffn_up.weight").type()).isEqualTo(GgmlType.Q5_0);
            assertThat(g.tensor("blk.0.ffn_down.weight").type()).isEqualTo(GgmlType.F16);
            assertThat(g.tensor("output.weight").type()).isEqualTo(GgmlType.Q8_0);
        }
        try (LlamaModel model = LlamaModel.load(file)) {
            assertThat(model.config().ffnDim()).isEqualTo(172);
        }
    }

    @Test
    void namesWhatIsWrongWithAFile() throws IOException {
        Path file = RandomModel.llama(4, 2, GgmlType.F32).write(dir);
        Path missing = rewrite(file, Map.of(), Set.of("blk.1.ffn_up.weight"), null, null);
        assertThatThrownBy(() -> LlamaModel.load(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor blk.1.ffn_up.weight is missing");

        Path misshapen = rewrite(file, Map.of(), Set.of(), "blk.0.attn_k.weight", new long[] {32, 64});
        assertThatThrownBy(() -> LlamaModel.load(misshapen)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blk.0.attn_k.weight").hasMessageContaining("expected [64, 32]");

        Path yarn = rewrite(file, Map.of("llama.rope.scaling.type", GgufValue.string("yarn")), Set.of(), null, null);
        assertThatThrownBy(() -> LlamaModel.load(yarn)).hasMessageContaining("'yarn' is not supported");

        Path gemma = rewrite(file, Map.of("general.architecture", GgufValue.string("gemma")), Set.of(), null, null);
        assertThatThrownBy(() -> LlamaModel.load(gemma)).hasMessageContaining("unsupported architecture 'gemma'")
                .hasMessageContaining("llama, qwen2");

        assertThatThrownBy(() -> new LlamaConfig("llama", 64, 2, 4, 3, 16, 96, 96, 256, 1e-5f, 500f, 1f, RopeStyle.INTERLEAVED))
                .hasMessageContaining("multiple of kvHeads (3)");
    }
}
