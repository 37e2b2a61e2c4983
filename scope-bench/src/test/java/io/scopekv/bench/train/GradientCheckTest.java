package io.scopekv.bench.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Central finite differences against the hand-derived backward pass, tensor by tensor, so a wrong
 * gradient in the embedding, any RMSNorm, the attention projections (through RoPE, softmax and
 * grouped-query sharing), the SwiGLU block or the output projection fails under its own name.
 */
class GradientCheckTest {

    private static final int[] TOKENS = {0, 20, 12, 5, 13, 21, 12, 9, 13, 14, 21, 15, 21, 12};

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void backwardMatchesFiniteDifferencesForEveryTensor(boolean tied) {
        ModelConfig config = new ModelConfig(8, 2, 4, 2, 12, TaskVocabulary.SIZE, 32, tied, 10000f, 1e-5f);
        ParamLayout layout = new ParamLayout(config);
        Transformer model = new Transformer(layout);
        float[] params = layout.initialize(3);
        // norms away from 1 so their gradients are not special
        SplittableRandom r = new SplittableRandom(5);
        for (ParamLayout.Tensor t : layout.tensors()) {
            if (!t.matrix()) {
                for (int i = 0; i < t.size(); i++) {
                    params[t.offset() + i] = (float) (0.5 + r.nextDouble());
                }
            }
        }
        int lossFrom = 9;
        float[] grad = new float[layout.size()];
        model.lossAndGradient(model.weights(params), TOKENS, lossFrom, grad, 1f);

        List<String> failures = new ArrayList<>();
        for (ParamLayout.Tensor t : layout.tensors()) {
            double worst = 0;
            // every element of small tensors, a spread sample of large ones
            int stride = Math.max(1, t.size() / 40);
            for (int i = 0; i < t.size(); i += stride) {
                int at = t.offset() + i;
                float saved = params[at];
                float h = 1e-2f;
                params[at] = saved + h;
                double plus = model.lossAndGradient(model.weights(params), TOKENS, lossFrom, new float[layout.size()], 1f).nll();
                params[at] = saved - h;
                double minus = model.lossAndGradient(model.weights(params), TOKENS, lossFrom, new float[layout.size()], 1f).nll();
                params[at] = saved;
                double numeric = (plus - minus) / (2.0 * h);
                double error = Math.abs(numeric - grad[at]) / (Math.abs(numeric) + Math.abs(grad[at]) + 1e-2);
                worst = Math.max(worst, error);
            }
            if (worst > 2e-2) {
                failures.add(t.name() + " relative error " + worst);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(layout.tensors()).extracting(ParamLayout.Tensor::name)
                .contains("token_embd.weight", "blk.1.attn_q.weight", "blk.1.ffn_gate.weight", "output_norm.weight");
    }
}
