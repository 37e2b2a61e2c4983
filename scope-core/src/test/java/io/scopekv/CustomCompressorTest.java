package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scopekv.policy.PositionCompressor;
import io.scopekv.policy.PrefillInput;
import io.scopekv.policy.ScoringCompressor;
import io.scopekv.policy.decoding.Slide;
import org.junit.jupiter.api.Test;

/** Users plug in their own prefill compressors, by scores or by kept positions. */
class CustomCompressorTest {
    private static final CacheLayout LAYOUT = CacheLayout.of(1, 4, 2, 4);

    /** Keeps even positions: a scorer giving even tokens the higher score. */
    record EvenTokens(int budget) implements ScoringCompressor {
        @Override
        public String describe() {
            return "even(P=" + budget + ")";
        }

        @Override
        public int budget(int layer, int layers, int promptLength) {
            return budget;
        }

        @Override
        public int window() {
            return 1;
        }

        @Override
        public float[][] score(PrefillInput input) {
            float[][] scores = new float[input.kvHeads()][input.promptLength()];
            for (float[] row : scores) {
                for (int t = 0; t < row.length; t++) {
                    row[t] = t % 2 == 0 ? 1 : 0;
                }
            }
            return scores;
        }
    }

    @Test
    void scoringCompressorKeepsTopScoresPlusWindow() {
        Sequence seq = new Sequence(LAYOUT, 1);
        try (KvCache cache = KvCache.builder(LAYOUT).prefill(new EvenTokens(5))
                .decoding(new Slide(6, 2)).build()) {
            seq.prefill(cache, 11);
            // window: token 10; top 4 of 0..9 by score, ties to the lower position: 0, 2, 4, 6
            assertThat(cache.keptPositions(0, 0)).containsExactly(0, 2, 4, 6, 10);
            for (int p = 11; p < 30; p++) {
                seq.step(cache, p);
            }
            assertThat(cache.keptPositions(0, 1)).startsWith(0, 2, 4, 6, 10).hasSize(5 + 6);
        }
    }

    @Test
    void positionCompressorNamesKeptPositionsPerKvHead() {
        PositionCompressor firstAndLast = new PositionCompressor() {
            @Override
            public String describe() {
                return "ends";
            }

            @Override
            public int budget(int layer, int layers, int promptLength) {
                return 2;
            }

            @Override
            public int[][] keep(PrefillInput input) {
                int last = input.positions()[input.promptLength() - 1];
                return new int[][] {{last, input.positions()[0]}, {last}};
            }
        };
        Sequence seq = new Sequence(LAYOUT, 1);
        try (KvCache cache = KvCache.builder(LAYOUT).prefill(firstAndLast).build()) {
            seq.prefill(cache, 9);
            assertThat(cache.keptPositions(0, 0)).containsExactly(0, 8);
            assertThat(cache.keptPositions(0, 1)).containsExactly(8);
        }
    }

    @Test
    void invalidCustomResultIsRejectedBeforeAnythingIsStored() {
        PositionCompressor bogus = new PositionCompressor() {
            @Override
            public String describe() {
                return "bogus";
            }

            @Override
            public int budget(int layer, int layers, int promptLength) {
                return 3;
            }

            @Override
            public int[][] keep(PrefillInput input) {
                return new int[][] {{1, 99}, {1}};
            }
        };
        Sequence seq = new Sequence(LAYOUT, 1);
        try (KvCache cache = KvCache.builder(LAYOUT).prefill(bogus).build()) {
            assertThatThrownBy(() -> seq.prefill(cache, 9)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("bogus kept position 99 for head 0, which is not a prompt position");
            assertThat(cache.stats().allocatedBytes()).isZero();
        }
    }

    @Test
    void prefillInputCarriesTheShapeAndChecksIt() {
        float[] keys = new float[2 * 3 * 4];
        float[] queries = new float[4 * 1 * 4];
        PrefillInput input = new PrefillInput(1, 4, 2, 4, new int[] {5, 6, 7}, keys, queries);
        assertThat(input.layer()).isEqualTo(1);
        assertThat(input.queryHeads()).isEqualTo(4);
        assertThat(input.kvHeads()).isEqualTo(2);
        assertThat(input.headDim()).isEqualTo(4);
        assertThat(input.groupSize()).isEqualTo(2);
        assertThat(input.promptLength()).isEqualTo(3);
        assertThat(input.queryCount()).isEqualTo(1);

        assertThatThrownBy(() -> new PrefillInput(-1, 4, 2, 4, new int[3], keys, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer must not be negative, was -1");
        assertThatThrownBy(() -> new PrefillInput(0, 4, 0, 4, new int[3], keys, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive, were 4, 0, 4");
        assertThatThrownBy(() -> new PrefillInput(0, 3, 2, 4, new int[3], keys, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queryHeads (3) must be a multiple of kvHeads (2)");
        assertThatThrownBy(() -> new PrefillInput(0, 4, 2, 4, new int[2], keys, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keys must hold [kvHeads=2, M=2, headDim=4] floats, was 24");
        assertThatThrownBy(() -> new PrefillInput(0, 4, 2, 4, new int[3], keys, new float[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queries must hold [queryHeads=4, nq <= 3, headDim=4] floats, was 5");
    }
}
