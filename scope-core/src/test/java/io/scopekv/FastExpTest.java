package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The softmax exponential: its documented error bound, and the vector form matching the scalar bit for bit. */
class FastExpTest {
    /** The bound FastExp documents. */
    private static final double BOUND = 1e-7;

    @Test
    void relativeErrorStaysWithinTheDocumentedBound() {
        double worst = 0;
        // every float in [-1, 0] with the low 8 mantissa bits clear (about 4 million), then a dense
        // random sample of the rest of the range
        for (int bits = 0; bits <= Float.floatToRawIntBits(1f); bits += 256) {
            worst = Math.max(worst, relativeError(-Float.intBitsToFloat(bits)));
        }
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 2_000_000; i++) {
            worst = Math.max(worst, relativeError((float) (-87.0 * random.nextDouble())));
        }
        for (float x = -87f; x <= 0f; x += 0.25f) {
            worst = Math.max(worst, relativeError(x));
        }
        assertThat(worst).as("max relative error").isLessThan(BOUND).isGreaterThan(0);
    }

    private static double relativeError(float x) {
        double exact = Math.exp(x);
        return Math.abs(FastExp.exp(x) - exact) / exact;
    }

    @Test
    void edges() {
        assertThat(FastExp.exp(0f)).isEqualTo(1f);
        assertThat(FastExp.exp(Float.NEGATIVE_INFINITY)).isEqualTo(0f);
        assertThat(FastExp.exp(-87.5f)).isEqualTo(0f);
        assertThat(FastExp.exp(-87f)).isPositive();
    }

    @Test
    void vectorFormIsBitIdenticalToTheScalarForm() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        SplittableRandom random = new SplittableRandom(2);
        float[] x = new float[lanes];
        float[] y = new float[lanes];
        for (int round = 0; round < 50_000; round++) {
            for (int i = 0; i < lanes; i++) {
                x[i] = random.nextInt(20) == 0 ? Float.NEGATIVE_INFINITY : (float) (-95.0 * random.nextDouble());
            }
            VectorKernel.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, 0)).intoArray(y, 0);
            for (int i = 0; i < lanes; i++) {
                assertThat(Float.floatToRawIntBits(y[i])).as("exp(%s)", x[i]).isEqualTo(Float.floatToRawIntBits(FastExp.exp(x[i])));
            }
        }
    }
}
