package io.scopekv;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/** Moves floats between ND4J arrays and heap arrays without off-heap temporaries. Not API. */
final class Tensors {

    private Tensors() {
    }

    /** A row-major heap copy of {@code array}. */
    public static float[] rowMajor(INDArray array) {
        float[] out = new float[Math.toIntExact(array.length())];
        copy(array, out, 0);
        return out;
    }

    /**
     * Copies {@code array} in row-major order into {@code dst} at {@code offset}. Contiguous
     * row-major arrays are copied in bulk; views with other strides element by element.
     */
    public static void copy(INDArray array, float[] dst, int offset) {
        int n = Math.toIntExact(array.length());
        if (array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array)) {
            FloatBuffer buffer = array.data().asNioFloat();
            buffer.get(Math.toIntExact(array.offset()), dst, offset, n);
            return;
        }
        long[] shape = array.shape();
        long[] index = new long[shape.length];
        for (int i = 0; i < n; i++) {
            dst[offset + i] = array.getFloat(index);
            for (int axis = shape.length - 1; axis >= 0; axis--) {
                if (++index[axis] < shape[axis]) {
                    break;
                }
                index[axis] = 0;
            }
        }
    }

    /** Writes {@code src} in row-major order into {@code array}, which must match its length. */
    public static void write(float[] src, INDArray array) {
        int n = Math.toIntExact(array.length());
        if (array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array)) {
            FloatBuffer buffer = array.data().asNioFloat();
            buffer.put(Math.toIntExact(array.offset()), src, 0, n);
            return;
        }
        long[] shape = array.shape();
        long[] index = new long[shape.length];
        for (int i = 0; i < n; i++) {
            array.putScalar(index, src[i]);
            for (int axis = shape.length - 1; axis >= 0; axis--) {
                if (++index[axis] < shape[axis]) {
                    break;
                }
                index[axis] = 0;
            }
        }
    }

    /** Throws unless {@code array} is float32 with exactly {@code shape}. */
    public static void requireShape(String name, INDArray array, long... shape) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (array.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException(name + " must be FLOAT (float32), was " + array.dataType());
        }
        if (!java.util.Arrays.equals(array.shape(), shape)) {
            throw new IllegalArgumentException(name + " must have shape " + java.util.Arrays.toString(shape)
                    + ", was " + java.util.Arrays.toString(array.shape()));
        }
    }

    /** Throws if any of {@code values[from, from + length)} is NaN or infinite. */
    public static void requireFinite(String name, float[] values, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(name + " must be finite, found " + values[i] + " at flat index " + (i - from));
            }
        }
    }
}
