package dev.callflux.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} command-line flags (also {@code --name=value}). Every flag takes a value; unknown
 * flags are refused so that a typo never silently runs the default.
 */
public final class Flags {

    private final Map<String, String> values;

    private Flags(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses {@code args}.
     *
     * @param known the flag names accepted (without {@code --}); a name ending in {@code .*} accepts any
     *              suffix (e.g. {@code case.*} accepts {@code case.2.calls})
     * @throws IllegalArgumentException for an unknown flag, a missing value or a stray argument
     */
    public static Flags parse(String[] args, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException("expected --flag, got '" + a + "'");
            }
            String name;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(2, eq);
                value = a.substring(eq + 1);
            } else {
                name = a.substring(2);
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for --" + name);
                }
                value = args[++i];
            }
            if (!isKnown(name, known)) {
                throw new IllegalArgumentException("unknown flag --" + name + " (known: " + known + ")");
            }
            values.put(name, value);
        }
        return new Flags(values);
    }

    private static boolean isKnown(String name, Set<String> known) {
        if (known.contains(name)) {
            return true;
        }
        for (String k : known) {
            if (k.endsWith(".*") && name.startsWith(k.substring(0, k.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String string(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    public String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    public int integer(String name, int dflt) {
        String v = values.get(name);
        return v == null ? dflt : parseInt(name, v);
    }

    public long longValue(String name, long dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v.replace("_", "").replace(",", "").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs an integer, got '" + v + "'");
        }
    }

    public double decimal(String name, double dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a number, got '" + v + "'");
        }
    }

    public boolean bool(String name, boolean dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "1": return true;
            case "false": case "no": case "0": return false;
            default: throw new IllegalArgumentException("--" + name + " needs true or false, got '" + v + "'");
        }
    }

    /** A comma-separated list; the default when the flag is absent. */
    public List<String> list(String name, List<String> dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        return List.of(v.trim().split("\\s*,\\s*"));
    }

    /** Integers accept {@code 50_000} and {@code 50,000}. */
    static int parseInt(String name, String v) {
        try {
            return Integer.parseInt(v.replace("_", "").replace(",", "").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs an integer, got '" + v + "'");
        }
    }
}
