package io.scopekv.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The options of one subcommand: {@code --name value}, {@code --name=value} and {@code --flag},
 * with generated help. Every command accepts {@code --help}. An option may be given once, unless
 * declared {@link #repeatable}.
 */
public final class Options {

    /** One option; {@code arg} is null for a flag. */
    private record Option(String name, String arg, String help, String fallback, boolean repeatable) {
    }

    private final String command;
    private final String summary;
    private final Map<String, Option> options = new LinkedHashMap<>();

    public Options(String command, String summary) {
        this.command = command;
        this.summary = summary;
        flag("help", "show this help and exit");
    }

    /** An option taking a value; {@code fallback} may be null (then it is optional and has no default). */
    public Options option(String name, String arg, String help, String fallback) {
        options.put(name, new Option(name, arg, help, fallback, false));
        return this;
    }

    /** An option taking a value that may be given any number of times; read it with {@link Parsed#getAll}. */
    public Options repeatable(String name, String arg, String help) {
        options.put(name, new Option(name, arg, help, null, true));
        return this;
    }

    public Options flag(String name, String help) {
        options.put(name, new Option(name, null, help, null, false));
        return this;
    }

    /** The help text. */
    public String help() {
        StringBuilder out = new StringBuilder("usage: scope-bench ").append(command).append(" [options]\n\n")
                .append(summary).append("\n\noptions:\n");
        for (Option o : options.values()) {
            String left = "  --" + o.name() + (o.arg() == null ? "" : " " + o.arg());
            out.append(left).append(" ".repeat(Math.max(2, 28 - left.length()))).append(o.help());
            if (o.fallback() != null) {
                out.append(" (default: ").append(o.fallback()).append(')');
            }
            if (o.repeatable()) {
                out.append(" (repeatable)");
            }
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * Parses arguments.
     *
     * @throws UsageException on an unknown option, a missing value or a stray argument
     */
    public Parsed parse(String[] args) throws UsageException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "'; options start with --");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option option = options.get(name);
            if (option == null) {
                throw new UsageException("unknown option --" + name + " for '" + command + "'; known: "
                        + String.join(", ", options.keySet().stream().map(n -> "--" + n).toList()));
            }
            if (option.arg() == null) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                value = "true";
            } else if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException("--" + name + " needs a value " + option.arg());
                }
                value = args[++i];
            }
            List<String> given = values.computeIfAbsent(name, n -> new ArrayList<>());
            if (!given.isEmpty() && !option.repeatable()) {
                throw new UsageException("--" + name + " given twice");
            }
            given.add(value);
        }
        return new Parsed(values);
    }

    /** Parsed values, falling back to the declared defaults. */
    public final class Parsed {
        private final Map<String, List<String>> values;

        private Parsed(Map<String, List<String>> values) {
            this.values = values;
        }

        public boolean has(String name) {
            return values.containsKey(name);
        }

        /** The value, its default, or null. */
        public String get(String name) {
            Option option = declared(name, false);
            List<String> given = values.get(name);
            return given == null ? option.fallback() : given.get(0);
        }

        /** Every value of a repeatable option, in the order given; empty when it was not given. */
        public List<String> getAll(String name) {
            declared(name, true);
            return List.copyOf(values.getOrDefault(name, List.of()));
        }

        // A mismatch is a bug in the command: get would drop all but the first value of a repeatable
        // option, getAll would miss a single-valued option's default.
        private Option declared(String name, boolean repeatable) {
            Option option = options.get(name);
            if (option == null) {
                throw new IllegalStateException("option --" + name + " was never declared");
            }
            if (option.repeatable() != repeatable) {
                throw new IllegalStateException("option --" + name + (repeatable ? " is not repeatable; read it with get"
                        : " is repeatable; read it with getAll"));
            }
            return option;
        }

        /** A required value. */
        public String require(String name) throws UsageException {
            String value = get(name);
            if (value == null || value.isBlank()) {
                throw new UsageException("missing required option --" + name + " " + options.get(name).arg());
            }
            return value;
        }

        /** An integer value, or {@code fallback} when absent and without default. */
        public int getInt(String name, int fallback) throws UsageException {
            return number(name, fallback, text -> Integer.parseInt(ascii(text)), "an integer");
        }

        /** A long value, or {@code fallback} when absent and without default. */
        public long getLong(String name, long fallback) throws UsageException {
            return number(name, fallback, text -> Long.parseLong(ascii(text)), "an integer");
        }

        /** A finite number, or {@code fallback} when absent and without default. */
        public float getFloat(String name, float fallback) throws UsageException {
            return number(name, fallback, text -> {
                float x = Float.parseFloat(text);
                if (!Float.isFinite(x)) {
                    throw new NumberFormatException("not finite");
                }
                return x;
            }, "a finite number");
        }

        private <T> T number(String name, T fallback, Function<String, T> parse, String kind)
                throws UsageException {
            String value = get(name);
            if (value == null) {
                return fallback;
            }
            try {
                return parse.apply(value.trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " must be " + kind + ", was '" + value + "'");
            }
        }

        /** Integer.parseInt reads other scripts' digits too ('３２' as 32); options are written in ASCII. */
        private static String ascii(String text) {
            if (!text.matches("[+-]?[0-9]+")) {
                throw new NumberFormatException(text);
            }
            return text;
        }

        /** A comma-separated list, or {@code fallback} when absent. */
        public List<String> getList(String name, List<String> fallback) {
            String value = get(name);
            if (value == null) {
                return fallback;
            }
            List<String> items = new ArrayList<>();
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
            return items;
        }

        /** A comma-separated list of integers, or {@code fallback} when absent. */
        public List<Integer> getIntList(String name, List<Integer> fallback) throws UsageException {
            if (get(name) == null) {
                return fallback;
            }
            List<Integer> numbers = new ArrayList<>();
            for (String item : getList(name, List.of())) {
                try {
                    numbers.add(Integer.parseInt(ascii(item)));
                } catch (NumberFormatException e) {
                    throw new UsageException("--" + name + " must be a comma-separated list of integers, had '" + item + "'");
                }
            }
            return numbers;
        }
    }
}
