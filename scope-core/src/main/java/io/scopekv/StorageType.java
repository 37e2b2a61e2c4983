package io.scopekv;

/**
 * How key and value elements are stored in the cache's off-heap arrays.
 *
 * <p>Only float32 is implemented; the enum exists so the memory formula and the
 * layout carry the element size explicitly and a half-precision store can be added
 * without changing the API.
 */
public enum StorageType {
    /** IEEE-754 binary32, four bytes per element. */
    FLOAT32(4);

    private final int bytes;

    StorageType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per stored element. */
    public int bytes() {
        return bytes;
    }
}
