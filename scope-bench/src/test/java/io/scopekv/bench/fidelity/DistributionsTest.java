package io.scopekv.bench.fidelity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class DistributionsTest {

    @Test
    void logSoftmaxOfHandPickedLogits() {
        // softmax(0, ln 3) = (1/4, 3/4)
        double[] log = Distributions.logSoftmax(new float[] {0f, (float) Math.log(3)});
        assertThat(log[0]).isCloseTo(Math.log(0.25), within(1e-7));
        assertThat(log[1]).isCloseTo(Math.log(0.75), within(1e-7));
        // a shift of every logit changes nothing, and huge logits do not overflow
        double[] shifted = Distributions.logSoftmax(new float[] {1000f, 1000f + (float) Math.log(3)});
        assertThat(shifted[0]).isCloseTo(Math.log(0.25), within(1e-4));
    }

    @Test
    void klOfHandPickedDistributions() {
        double[] p = {Math.log(0.5), Math.log(0.5)};
        double[] q = {Math.log(0.9), Math.log(0.1)};
        // 0.5 ln(0.5 / 0.9) + 0.5 ln(0.5 / 0.1) = 0.5 (-0.587787) + 0.5 (1.609438) = 0.510826
        assertThat(Distributions.kl(p, q)).isCloseTo(0.510826, within(1e-6));
        // not symmetric: 0.9 ln(0.9 / 0.5) + 0.1 ln(0.1 / 0.5) = 0.529007 - 0.160944 = 0.368064
        assertThat(Distributions.kl(q, p)).isCloseTo(0.368064, within(1e-6));
        assertThat(Distributions.kl(p, p)).isZero();
        // a token p rules out costs nothing, whatever q gives it
        assertThat(Distributions.kl(new double[] {0, Double.NEGATIVE_INFINITY}, q)).isCloseTo(-Math.log(0.9), within(1e-12));
    }

    @Test
    void argmaxTiesGoToTheLowestIndex() {
        assertThat(Distributions.argmax(new double[] {0.1, 0.4, 0.4, 0.1})).isEqualTo(1);
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> Distributions.logSoftmax(new float[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> Distributions.logSoftmax(new float[] {0f, Float.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logits[1] is NaN");
        assertThatThrownBy(() -> Distributions.kl(new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 vs 3");
    }

    @Property(tries = 200)
    void klIsZeroForIdenticalAndPositiveForDifferentDistributions(
            @ForAll @Size(min = 2, max = 12) float[] logits, @ForAll @FloatRange(min = 0.05f, max = 3f) float bump) {
        for (int i = 0; i < logits.length; i++) {
            // within [-3, 3] every token keeps at least e^-6 / 12 of the mass, so a bump moves a visible share
            logits[i] = Math.max(-3f, Math.min(3f, Float.isFinite(logits[i]) ? logits[i] : 0f));
        }
        double[] p = Distributions.logSoftmax(logits);
        assertThat(Distributions.kl(p, p)).isZero();
        float[] other = logits.clone();
        other[0] += bump;   // moves mass to token 0
        double[] q = Distributions.logSoftmax(other);
        assertThat(Distributions.kl(p, q)).isPositive();
        assertThat(Distributions.kl(q, p)).isPositive();
    }
}
