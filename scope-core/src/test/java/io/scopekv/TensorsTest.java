package io.scopekv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class TensorsTest {
    private static INDArray counting(long... shape) {
        return Nd4j.arange(0, 2 * 3 * 4).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).reshape('c', shape);
    }

    @Test
    void copiesContiguousSliceViewsFromTheirOffset() {
        try (INDArray a = counting(2, 3, 4)) {
            assertThat(Tensors.rowMajor(a.slice(1))).containsExactly(12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23);
        }
    }

    @Test
    void copiesStridedViewsElementByElement() {
        try (INDArray a = counting(2, 3, 4)) {
            INDArray column = a.get(NDArrayIndex.all(), NDArrayIndex.point(1), NDArrayIndex.interval(1, 3));
            assertThat(Tensors.rowMajor(column)).containsExactly(5, 6, 17, 18);
            assertThat(Tensors.rowMajor(a.permute(2, 1, 0)).length).isEqualTo(24);
            assertThat(Tensors.rowMajor(a.permute(1, 0, 2))).startsWith(0, 1, 2, 3, 12, 13, 14, 15, 4);
        }
    }

    @Test
    void writesIntoViews() {
        try (INDArray a = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3)) {
            Tensors.write(new float[] {7, 8}, a.get(NDArrayIndex.all(), NDArrayIndex.point(2)));
            assertThat(a.data().asFloat()).containsExactly(0, 0, 7, 0, 0, 8);
        }
    }

    @Test
    void topKKeysOrderByScoreThenLowerPosition() {
        assertThat(TopK.key(0.5f, 3)).isGreaterThan(TopK.key(0.25f, 1));
        assertThat(TopK.key(0.5f, 1)).isGreaterThan(TopK.key(0.5f, 3));
        assertThat(TopK.key(-1f, 0)).isLessThan(TopK.key(-0.5f, 9));
        assertThat(TopK.key(0f, 4)).isEqualTo(TopK.key(-0f, 4));
        long[] keys = {TopK.key(3, 0), TopK.key(1, 1), TopK.key(2, 2), TopK.key(1, 3), TopK.key(5, 4)};
        int[] slots = {0, 1, 2, 3, 4};
        TopK.selectSmallest(keys, slots, 5, 2);
        assertThat(new int[] {slots[0], slots[1]}).containsExactlyInAnyOrder(1, 3);
    }
}
