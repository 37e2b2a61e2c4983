package io.scopekv.bench.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy {@code .npy} file (format versions 1.0, 2.0 and 3.0). Only the
 * little-endian float32, C-order arrays this project exchanges are accepted.
 *
 * @param shape      the array's shape, outermost dimension first
 * @param dataOffset byte offset of the first element in the file
 */
public record NpyHeader(long[] shape, long dataOffset) {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** The only dtype accepted: little-endian IEEE float32. */
    public static final String DESCR = "<f4";
    private static final Pattern DESCR_PATTERN = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER_PATTERN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE_PATTERN = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    public NpyHeader {
        if (shape == null) {
            throw new IllegalArgumentException("shape must not be null");
        }
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("shape dimensions must be >= 0, was " + Arrays.toString(shape));
            }
        }
        shape = shape.clone();
        if (dataOffset < 10) {
            throw new IllegalArgumentException("dataOffset must be >= 10 (magic, version, length), was " + dataOffset);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Elements in the array: the product of the shape. */
    public long elements() {
        long n = 1;
        for (long dim : shape) {
            n = Math.multiplyExact(n, dim);
        }
        return n;
    }

    /**
     * Parses and validates the header.
     *
     * @param prefix the first bytes of the file (at least the whole header)
     * @param source names the file in error messages
     * @throws IOException naming the file and the violated rule
     */
    static NpyHeader parse(ByteBuffer prefix, String source) throws IOException {
        ByteBuffer in = prefix.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < 10) {
            throw new IOException(source + ": too short for a .npy header (" + in.remaining() + " bytes)");
        }
        for (byte b : MAGIC) {
            if (in.get() != b) {
                throw new IOException(source + ": not a .npy file (magic \\x93NUMPY missing)");
            }
        }
        int major = in.get() & 0xff;
        in.get();
        long headerLength;
        if (major == 1) {
            headerLength = in.getShort() & 0xffff;
        } else if (major == 2 || major == 3) {
            if (in.remaining() < 4) {
                throw new IOException(source + ": truncated .npy header");
            }
            headerLength = in.getInt() & 0xffffffffL;
        } else {
            throw new IOException(source + ": unsupported .npy format version " + major + " (1, 2 and 3 are supported)");
        }
        if (in.remaining() < headerLength) {
            throw new IOException(source + ": .npy header declares " + headerLength + " bytes but the file has only "
                    + in.remaining() + " after the preamble");
        }
        byte[] text = new byte[(int) headerLength];
        in.get(text);
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).trim();
        String descr = group(DESCR_PATTERN, dict, "descr", source);
        if (!DESCR.equals(descr)) {
            throw new IOException(source + ": dtype must be little-endian float32 '" + DESCR + "', was '" + descr + "'");
        }
        if (!"False".equals(group(ORDER_PATTERN, dict, "fortran_order", source))) {
            throw new IOException(source + ": array must be in C order (fortran_order False)");
        }
        String dims = group(SHAPE_PATTERN, dict, "shape", source);
        List<Long> shape = new ArrayList<>();
        for (String dim : dims.split(",")) {
            if (!dim.isBlank()) {
                try {
                    shape.add(Long.parseLong(dim.trim()));
                } catch (NumberFormatException e) {
                    throw new IOException(source + ": shape entry '" + dim.trim() + "' is not an integer in (" + dims + ")");
                }
            }
        }
        long[] dimsArray = shape.stream().mapToLong(Long::longValue).toArray();
        return new NpyHeader(dimsArray, in.position() - prefix.position());
    }

    private static String group(Pattern pattern, String dict, String key, String source) throws IOException {
        Matcher m = pattern.matcher(dict);
        if (!m.find()) {
            throw new IOException(source + ": .npy header has no valid '" + key + "' entry: " + dict);
        }
        return m.group(1);
    }

    /** The encoded header (version 1.0, or 2.0 if too long), padded to a multiple of 64 bytes. */
    static byte[] encode(long[] shape) {
        StringBuilder dims = new StringBuilder();
        for (long dim : shape) {
            dims.append(dim).append(", ");
        }
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + (dims.length() > 0 ? dims.substring(0, dims.length() - 2) : "") + ")";
        String dict = "{'descr': '" + DESCR + "', 'fortran_order': False, 'shape': " + tuple + ", }";
        int preamble = 10;
        int total = preamble + dict.length() + 1;
        boolean v2 = false;
        if (total + 63 > 0xffff) {
            v2 = true;
            preamble = 12;
            total = preamble + dict.length() + 1;
        }
        int padded = (total + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - total) + "\n";
        ByteBuffer out = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) (v2 ? 2 : 1)).put((byte) 0);
        if (v2) {
            out.putInt(header.length());
        } else {
            out.putShort((short) header.length());
        }
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        return out.array();
    }
}
