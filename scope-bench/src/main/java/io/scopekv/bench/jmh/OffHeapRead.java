package io.scopekv.bench.jmh;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The read limit attend() is measured against: a plain Vector API pass over off-heap floats that
 * does nothing but load them (four independent adds keep the loads from being a latency chain).
 * Loads go through {@code fromByteBuffer} on Java 17 and {@code fromMemorySegment} on 20+, bound
 * as method handles the JIT inlines, the same way the cache's kernel reads its storage.
 */
final class OffHeapRead {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.length() > 16
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final MethodHandle LOAD;
    private static final MethodHandle HANDLE;

    static {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodType load = MethodType.methodType(FloatVector.class, VectorSpecies.class, Object.class, long.class, ByteOrder.class);
        MethodType handle = MethodType.methodType(Object.class, ByteBuffer.class);
        MethodHandle l;
        MethodHandle h;
        try {
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            l = lookup.findStatic(FloatVector.class, "fromMemorySegment",
                    MethodType.methodType(FloatVector.class, VectorSpecies.class, segment, long.class, ByteOrder.class));
            h = lookup.findStatic(segment, "ofBuffer", MethodType.methodType(segment, Buffer.class));
        } catch (ReflectiveOperationException e) {
            try {
                l = lookup.findStatic(FloatVector.class, "fromByteBuffer",
                        MethodType.methodType(FloatVector.class, VectorSpecies.class, ByteBuffer.class, int.class, ByteOrder.class));
                h = MethodHandles.identity(ByteBuffer.class);
            } catch (ReflectiveOperationException e2) {
                throw new IllegalStateException(e2);
            }
        }
        LOAD = MethodHandles.explicitCastArguments(l, load);
        HANDLE = h.asType(handle);
    }

    private final ByteBuffer buffer;
    private final Object handle;
    private final long bytes;

    /** A zeroed direct buffer of {@code bytes} (a multiple of 4 vectors, below 2 GiB). */
    OffHeapRead(long bytes) {
        this.bytes = bytes - bytes % (4L * L * Float.BYTES);
        this.buffer = ByteBuffer.allocateDirect(Math.toIntExact(this.bytes)).order(ORDER);
        try {
            this.handle = (Object) HANDLE.invokeExact(buffer);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    long bytes() {
        return bytes;
    }

    /** Reads the whole buffer once, split into {@code parts} contiguous ranges like attend() splits heads. */
    float read(int parts) {
        long vectors = bytes / (L * Float.BYTES);
        if (parts == 1) {
            return sum(0, vectors);
        }
        @SuppressWarnings("unchecked")
        ForkJoinTask<Float>[] tasks = new ForkJoinTask[parts - 1];
        for (int part = 1; part < parts; part++) {
            long from = vectors * part / parts / 4 * 4;
            long to = part == parts - 1 ? vectors : vectors * (part + 1) / parts / 4 * 4;
            tasks[part - 1] = ForkJoinPool.commonPool().submit(() -> sum(from, to));
        }
        float total = sum(0, vectors / parts / 4 * 4);
        for (ForkJoinTask<Float> task : tasks) {
            total += task.join();
        }
        return total;
    }

    private float sum(long fromVector, long toVector) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        long stride = (long) L * Float.BYTES;
        try {
            for (long v = fromVector; v < toVector; v += 4) {
                long at = v * stride;
                a0 = a0.add((FloatVector) LOAD.invokeExact(F, handle, at, ORDER));
                a1 = a1.add((FloatVector) LOAD.invokeExact(F, handle, at + stride, ORDER));
                a2 = a2.add((FloatVector) LOAD.invokeExact(F, handle, at + 2 * stride, ORDER));
                a3 = a3.add((FloatVector) LOAD.invokeExact(F, handle, at + 3 * stride, ORDER));
            }
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
