package dev.callflux.testkit;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The fractions of the drawn faults ({@link TwilioSimulator.Builder#fault(Fault, double)}), frozen at start,
 * and the draw that picks at most one of them per request. Immutable.
 *
 * <p>Each drawn fault owns a range of [0, 1), in the order of the enum, as wide as its fraction; one uniform
 * number per request ({@link Decisions.Knob#FAULT}) falls in one range or in none.
 */
final class FaultPlan {

    /** No fault at all: nothing is drawn. */
    static final FaultPlan NONE = new FaultPlan(new EnumMap<>(Fault.class));

    private final Map<Fault, Double> fractions;
    private final Fault[] kinds;
    /** The upper bound of each kind's range, in the order of {@link #kinds}. */
    private final double[] bounds;

    private FaultPlan(EnumMap<Fault, Double> fractions) {
        this.fractions = Collections.unmodifiableMap(fractions);
        this.kinds = fractions.keySet().toArray(new Fault[0]);
        this.bounds = new double[kinds.length];
        double sum = 0;
        for (int i = 0; i < kinds.length; i++) {
            sum += fractions.get(kinds[i]);
            bounds[i] = sum;
        }
    }

    /**
     * The plan of these fractions, copied.
     *
     * @throws IllegalArgumentException if they add up to more than 1, naming the kinds and their fractions
     */
    static FaultPlan of(EnumMap<Fault, Double> fractions) {
        EnumMap<Fault, Double> copy = new EnumMap<>(fractions);
        copy.values().removeIf(p -> p == 0.0);
        double sum = 0;
        for (double p : copy.values()) {
            sum += p;
        }
        if (sum > 1.0 + 1e-9) {
            throw new IllegalArgumentException("the fault fractions must add up to at most 1, got " + copy
                    + ", which add up to " + sum);
        }
        return copy.isEmpty() ? NONE : new FaultPlan(copy);
    }

    /**
     * Checks one fault's fraction for {@link TwilioSimulator.Builder#fault(Fault, double)}.
     *
     * @return {@code fraction}
     * @throws NullPointerException     if {@code kind} is {@code null}
     * @throws IllegalArgumentException if {@code kind} is not drawn or {@code fraction} is not between 0 and 1
     */
    static double check(Fault kind, double fraction) {
        if (kind == null) {
            throw new NullPointerException("kind");
        }
        if (kind == Fault.SLOW) {
            throw new IllegalArgumentException("Fault.SLOW is not drawn with fault(kind, fraction): "
                    + "use slowResponses(fraction, extraLatency)");
        }
        if (kind == Fault.DOWN) {
            throw new IllegalArgumentException("Fault.DOWN is not drawn with fault(kind, fraction): "
                    + "it is caused by pause()");
        }
        if (!(fraction >= 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("the fraction of Fault." + kind + " must be between 0 and 1, got "
                    + fraction);
        }
        return fraction;
    }

    /** The fraction of each kind that has one, in the enum's order; unmodifiable. */
    Map<Fault, Double> fractions() {
        return fractions;
    }

    /** The fault of this request, or {@code null}; nothing is drawn when no kind has a fraction. */
    Fault draw(long seed, String callSid, int index) {
        if (kinds.length == 0) {
            return null;
        }
        double u = Decisions.uniform(seed, callSid, index, Decisions.Knob.FAULT);
        for (int i = 0; i < kinds.length; i++) {
            if (u < bounds[i]) {
                return kinds[i];
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return fractions.toString();
    }
}
