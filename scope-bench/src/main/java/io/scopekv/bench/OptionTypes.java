package io.scopekv.bench;

import io.scopekv.CacheLayout;
import io.scopekv.PolicySpec;
import io.scopekv.StorageType;
import io.scopekv.bench.engine.AttentionPath;
import io.scopekv.bench.longgenbench.PromptFormat;
import io.scopekv.bench.policies.PolicyRegistry;
import io.scopekv.bench.workload.WorkloadConfig;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The types of the bench's options. Each conversion refuses a value with the value and the rule;
 * picocli adds the option: {@code Invalid value for option '--tasks': '0' is not a positive integer}.
 */
final class OptionTypes {

    private OptionTypes() {
    }

    /** Replaces picocli's number conversions for every option of {@code cli} and its subcommands. */
    static void register(CommandLine cli) {
        cli.registerConverter(Integer.class, OptionTypes::integer).registerConverter(int.class, OptionTypes::integer)
                .registerConverter(Long.class, OptionTypes::longInteger).registerConverter(long.class, OptionTypes::longInteger)
                .registerConverter(Float.class, OptionTypes::finite).registerConverter(float.class, OptionTypes::finite);
    }

    // Integer.parseInt reads other scripts' digits too ('３２' as 32); options are written in ASCII
    private static String digits(String value) {
        String text = value.trim();
        if (!text.matches("[+-]?[0-9]+")) {
            throw new TypeConversionException("'" + value + "' is not an integer");
        }
        return text;
    }

    static int integer(String value) {
        try {
            return Integer.parseInt(digits(value));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not an integer in [" + Integer.MIN_VALUE + ", "
                    + Integer.MAX_VALUE + "]");
        }
    }

    static long longInteger(String value) {
        try {
            return Long.parseLong(digits(value));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not an integer in [" + Long.MIN_VALUE + ", "
                    + Long.MAX_VALUE + "]");
        }
    }

    static float finite(String value) {
        float x;
        try {
            x = Float.parseFloat(value.trim());
        } catch (NumberFormatException e) {
            x = Float.NaN;
        }
        if (!Float.isFinite(x)) {
            throw new TypeConversionException("'" + value + "' is not a finite number");
        }
        return x;
    }

    /** An integer of at least 1. */
    static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n = integer(value);
            if (n < 1) {
                throw new TypeConversionException("'" + value + "' is not a positive integer");
            }
            return n;
        }
    }

    /** The path of a file that exists. */
    static final class ExistingFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path file;
            try {
                file = Path.of(value);
            } catch (InvalidPathException e) {
                throw new TypeConversionException("'" + value + "' is not a path: " + e.getReason());
            }
            if (!Files.isRegularFile(file)) {
                throw new TypeConversionException("'" + value + "' is not a file"
                        + (Files.isDirectory(file) ? " (a directory)" : Files.exists(file) ? "" : " (no such file)"));
            }
            return file;
        }
    }

    /** A policy spec, checked by parsing it and kept as written. */
    static final class PolicySpecText implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                PolicySpec.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a policy spec: " + e.getMessage());
            }
            return value;
        }
    }

    /** {@code preset}, {@code llama3-8b} or {@code LAYERS,QHEADS,KVHEADS,HEADDIM}. */
    static final class Layout implements ITypeConverter<CacheLayout>, Iterable<String> {
        private static final String RULE = "preset, llama3-8b or LAYERS,QHEADS,KVHEADS,HEADDIM";

        @Override
        public CacheLayout convert(String value) {
            String text = value.trim().toLowerCase(Locale.ROOT);
            if (text.equals("preset")) {
                // WorkloadConfig.paper() changes the lengths only: both presets share this shape
                return WorkloadConfig.defaults().layout();
            }
            if (text.equals("llama3-8b")) {
                return CacheLayout.of(32, 32, 8, 128);
            }
            String[] parts = text.split(",", -1);
            if (parts.length != 4) {
                throw new TypeConversionException("'" + value + "' is not " + RULE);
            }
            int[] n = new int[4];
            for (int i = 0; i < 4; i++) {
                try {
                    n[i] = integer(parts[i]);
                } catch (TypeConversionException e) {
                    throw new TypeConversionException("'" + value + "' is not " + RULE + ": entry " + (i + 1) + ", "
                            + e.getMessage());
                }
            }
            try {
                return CacheLayout.of(n[0], n[1], n[2], n[3]);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a layout: " + e.getMessage());
            }
        }

        /** The names offered by shell completion. */
        @Override
        public Iterator<String> iterator() {
            return List.of("preset", "llama3-8b").iterator();
        }
    }

    /** The registered policy names and {@code all}, offered by shell completion for {@code --policies}. */
    static final class PolicyNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> names = new ArrayList<>(PolicyRegistry.names());
            names.add("all");
            return names.iterator();
        }
    }

    /** An enum constant by its name, in any case; the names, as written in the help, are offered by completion. */
    abstract static class Choice<E extends Enum<E>> implements ITypeConverter<E>, Iterable<String> {
        private final E[] values;
        private final boolean lowerCase;

        /** Names in lower case ({@code engine}), or as the constants are ({@code BF16}). */
        Choice(E[] values, boolean lowerCase) {
            this.values = values.clone();
            this.lowerCase = lowerCase;
        }

        @Override
        public E convert(String value) {
            for (E e : values) {
                if (e.name().equalsIgnoreCase(value.trim())) {
                    return e;
                }
            }
            throw new TypeConversionException("'" + value + "' is not one of " + String.join(", ", this));
        }

        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values).map(e -> lowerCase ? e.name().toLowerCase(Locale.ROOT) : e.name()).iterator();
        }
    }

    /** {@code engine} or {@code cache}. */
    static final class AttentionPaths extends Choice<AttentionPath> {
        AttentionPaths() {
            super(AttentionPath.values(), true);
        }
    }

    /** {@code llama3}, {@code llama2} or {@code plain}. */
    static final class PromptFormats extends Choice<PromptFormat> {
        PromptFormats() {
            super(PromptFormat.values(), true);
        }
    }

    /** {@code FLOAT32}, {@code BF16} or {@code F16}. */
    static final class Storages extends Choice<StorageType> {
        Storages() {
            super(StorageType.values(), false);
        }
    }
}
