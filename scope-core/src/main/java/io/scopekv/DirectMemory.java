package io.scopekv;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * The handle the Vector API kernel reads off-heap storage through. Java 17 loads vectors from a
 * direct {@link ByteBuffer} ({@code fromByteBuffer}); Java 20 and later removed that method and
 * load from a {@code java.lang.foreign.MemorySegment} instead, a type Java 17 does not have. The
 * storage therefore keeps an opaque handle per buffer: the buffer itself on 17, a memory segment
 * over it on later JDKs. Resolved once, without referencing either API statically, so one class
 * file serves both.
 */
final class DirectMemory {
    /** {@code Object handle(ByteBuffer)}: identity on Java 17, {@code MemorySegment.ofBuffer} later. */
    private static final MethodHandle HANDLE = resolve();

    private DirectMemory() {
    }

    private static MethodHandle resolve() {
        MethodType target = MethodType.methodType(Object.class, ByteBuffer.class);
        try {
            Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
            MethodHandle ofBuffer = MethodHandles.publicLookup().findStatic(segment, "ofBuffer",
                    MethodType.methodType(segment, Buffer.class));
            return ofBuffer.asType(target);
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
            return MethodHandles.identity(ByteBuffer.class).asType(target);
        }
    }

    /** The handle over a direct buffer, covering its whole capacity. */
    static Object handle(ByteBuffer buffer) {
        try {
            return (Object) HANDLE.invokeExact(buffer);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot wrap the storage buffer", e);
        }
    }
}
