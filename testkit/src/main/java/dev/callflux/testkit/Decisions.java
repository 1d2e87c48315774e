package dev.callflux.testkit;

import java.util.SplittableRandom;

/**
 * Fault decisions as pure functions of (seed, call SID, index of the request for that SID, knob): the same
 * requests get the same decisions however requests for different calls interleave. A decision about a call
 * rather than a request uses index 0.
 */
final class Decisions {

    /** What a decision is about; each knob draws its own number. */
    enum Knob {
        RATE_LIMIT(0x52415445L),
        FAULT(0x4641554cL),
        ERROR_STATUS(0x53544154L),
        JITTER(0x4a495454L),
        SLOW(0x534c4f57L),
        /** Per call SID (request index 0), not per request: whether a call created on first sight has already ended. */
        ALREADY_ENDED(0x454e4445L);

        final long salt;

        Knob(long salt) {
            this.salt = salt;
        }
    }

    private Decisions() {
    }

    /** A uniform number in [0, 1) for this request and knob. */
    static double uniform(long seed, String callSid, int index, Knob knob) {
        return random(seed, callSid, index, knob).nextDouble();
    }

    /** A generator for this request and knob. */
    static SplittableRandom random(long seed, String callSid, int index, Knob knob) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ fnv1a(callSid));
        h = mix(h ^ index);
        h = mix(h ^ knob.salt);
        return new SplittableRandom(h);
    }

    /** 64-bit FNV-1a of the string's characters: stable across JVMs, unlike {@link String#hashCode()}'s 32 bits. */
    static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
