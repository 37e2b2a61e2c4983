package io.scopekv.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The spec-string form of one built-in component, declared once in its class: the name, the
 * integer parameters in canonical order with their defaults, and the factory. {@link #describe}
 * writes the canonical form from the object itself and {@link io.scopekv.PolicySpec} parses with the same
 * declaration, so a spec written by describe() always parses back to an equal component.
 *
 * <pre>{@code
 * public static final SpecForm<Slide> SPEC = SpecForm.<Slide>named("slide")
 *         .required("W", Slide::window)
 *         .optional("R", 256, Slide::recent)
 *         .build(args -> new Slide(args.integer("W"), args.integer("R")));
 * }</pre>
 *
 * @param <T> the component type
 */
public final class SpecForm<T> {
    private final String name;
    private final List<Param<T>> params;
    private final Function<Args, T> factory;

    private record Param<T>(String name, boolean required, long fallback, boolean flag, ToLongFunction<T> value) {
    }

    private SpecForm(String name, List<Param<T>> params, Function<Args, T> factory) {
        this.name = name;
        this.params = List.copyOf(params);
        this.factory = factory;
    }

    /** Starts the declaration of a component called {@code name} in spec strings. */
    public static <T> Builder<T> named(String name) {
        if (name == null || !name.matches("[a-z][a-z0-9]*")) {
            throw new IllegalArgumentException("a spec name must match [a-z][a-z0-9]*, was " + name);
        }
        return new Builder<>(name);
    }

    /** The component's name in spec strings, e.g. {@code slide}. */
    public String name() {
        return name;
    }

    /** The parameter names in canonical order. */
    public List<String> parameters() {
        return params.stream().map(Param::name).toList();
    }

    /**
     * The canonical form of {@code component}: every parameter spelled out, except switches that
     * are off, e.g. {@code slide(W=512,R=256)} or {@code cumulative}.
     */
    public String describe(T component) {
        List<String> parts = new ArrayList<>();
        for (Param<T> param : params) {
            long value = param.value().applyAsLong(component);
            if (!param.flag() || value != 0) {
                parts.add(param.name() + "=" + value);
            }
        }
        return parts.isEmpty() ? name : name + "(" + String.join(",", parts) + ")";
    }

    /**
     * Builds the component from the parameter text inside the parentheses (empty when none), e.g.
     * {@code W=512,R=256} for {@code slide(W=512,R=256)}; {@link io.scopekv.PolicySpec} calls it for
     * the built-ins, a parser of your own may call it for yours.
     *
     * @throws IllegalArgumentException naming the parameter and the rule it breaks
     */
    public T parse(String body) {
        if (body == null) {
            throw new IllegalArgumentException(name + ": parameter text must not be null (empty for none)");
        }
        Map<String, Long> given = parseBody(body);
        for (String key : given.keySet()) {
            if (params.stream().noneMatch(p -> p.name().equals(key))) {
                throw new IllegalArgumentException(name + ": unknown parameter '" + key + "'; known: "
                        + String.join(", ", parameters()));
            }
        }
        Map<String, Long> values = new LinkedHashMap<>();
        for (Param<T> param : params) {
            Long value = given.get(param.name());
            if (value == null && param.required()) {
                throw new IllegalArgumentException(name + ": missing required parameter " + param.name());
            }
            if (value != null && param.flag() && value != 0 && value != 1) {
                throw new IllegalArgumentException(name + ": parameter " + param.name() + " must be 0 or 1, was " + value);
            }
            values.put(param.name(), value == null ? param.fallback() : value);
        }
        return factory.apply(new Args(name, values));
    }

    private Map<String, Long> parseBody(String body) {
        Map<String, Long> given = new LinkedHashMap<>();
        if (body.isBlank()) {
            return given;
        }
        for (String pair : body.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(name + ": parameter '" + pair.trim() + "' is not name=integer");
            }
            String key = pair.substring(0, eq).trim();
            String number = pair.substring(eq + 1).trim();
            // Long.parseLong also reads other scripts' digits ('３２' as 32): a spec is ASCII
            if (!number.matches("[+-]?[0-9]{1,18}")) {
                throw new IllegalArgumentException(name + ": parameter " + key + " must be an integer, was '" + number
                        + "' (digits 0-9 only)");
            }
            long value;
            try {
                value = Long.parseLong(number);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": parameter " + key + " must be an integer, was '" + number + "'");
            }
            if (given.put(key, value) != null) {
                throw new IllegalArgumentException(name + ": parameter '" + key + "' given twice");
            }
        }
        return given;
    }

    /**
     * Declares a component's parameters, in canonical order.
     *
     * @param <T> the component type
     */
    public static final class Builder<T> {
        private final String name;
        private final List<Param<T>> params = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /** A parameter the spec must give; {@code value} reads it back from a component. */
        public Builder<T> required(String param, ToLongFunction<T> value) {
            return add(new Param<>(param, true, 0, false, value));
        }

        /** A parameter that defaults to {@code fallback} when the spec omits it. */
        public Builder<T> optional(String param, long fallback, ToLongFunction<T> value) {
            return add(new Param<>(param, false, fallback, false, value));
        }

        /** A 0/1 switch, off when omitted and written only when on. */
        public Builder<T> flag(String param, Predicate<T> on) {
            return add(new Param<>(param, false, 0, true, component -> on.test(component) ? 1 : 0));
        }

        /** Completes the declaration with the factory that builds a component from its arguments. */
        public SpecForm<T> build(Function<Args, T> factory) {
            return new SpecForm<>(name, params, factory);
        }

        private Builder<T> add(Param<T> param) {
            if (!param.name().matches("[A-Za-z][A-Za-z0-9]*") || params.stream().anyMatch(p -> p.name().equals(param.name()))) {
                throw new IllegalArgumentException(name + ": parameter names must be distinct identifiers, was " + param.name());
            }
            params.add(param);
            return this;
        }
    }

    /** The arguments of one parsed component: every declared parameter, defaults filled in. */
    public static final class Args {
        private final String owner;
        private final Map<String, Long> values;

        private Args(String owner, Map<String, Long> values) {
            this.owner = owner;
            this.values = values;
        }

        /** An int parameter. */
        public int integer(String param) {
            long value = longValue(param);
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(owner + ": parameter " + param + " out of int range: " + value);
            }
            return (int) value;
        }

        /** A long parameter. */
        public long longValue(String param) {
            Long value = values.get(param);
            if (value == null) {
                throw new IllegalStateException(owner + " declares no parameter " + param);
            }
            return value;
        }

        /** A switch. */
        public boolean flag(String param) {
            return longValue(param) != 0;
        }
    }
}
