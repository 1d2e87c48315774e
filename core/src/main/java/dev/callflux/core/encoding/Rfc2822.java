package dev.callflux.core.encoding;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Twilio's RFC 2822 dates ({@code "Tue, 31 Aug 2010 20:36:28 +0000"}), read and written. Every Call carries
 * four, and {@link DateTimeFormatter} spends more time on them than on all the rest of the JSON, so the
 * fixed layout Twilio uses is read directly; anything else goes through
 * {@link DateTimeFormatter#RFC_1123_DATE_TIME}.
 */
final class Rfc2822 {

    /** The layout Twilio writes. */
    private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
    private static final String[] DAYS = new String[8];

    static {
        for (DayOfWeek d : DayOfWeek.values()) {
            DAYS[d.getValue()] = d.getDisplayName(TextStyle.SHORT, Locale.ROOT);
        }
    }

    private Rfc2822() {
    }

    /** @throws DateTimeParseException if {@code s} is not an RFC 2822 date-time */
    static ZonedDateTime parse(String s) {
        ZonedDateTime fast = s.length() == 31 ? fixedLayout(s.toCharArray(), 0, 31) : null;
        return fast != null ? fast : ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
    }

    /** Twilio's layout, {@code EEE, dd MMM yyyy HH:mm:ss ±hhmm}. */
    static String format(ZonedDateTime t) {
        return OUT.format(t);
    }

    /**
     * {@code EEE, dd MMM yyyy HH:mm:ss ±hhmm} in {@code chars[offset, offset + length)} (a JSON parser's
     * buffer: no String is made), or {@code null} if the text does not have exactly that shape or is not a
     * valid date; the caller then goes through {@link #parse(String)} for the other forms and the error.
     */
    static ZonedDateTime fixedLayout(char[] c, int offset, int length) {
        if (length != 31) {
            return null;
        }
        int o = offset;
        if (c[o + 3] != ',' || c[o + 4] != ' ' || c[o + 7] != ' ' || c[o + 11] != ' ' || c[o + 16] != ' '
                || c[o + 19] != ':' || c[o + 22] != ':' || c[o + 25] != ' ') {
            return null;
        }
        int month = month(c[o + 8], c[o + 9], c[o + 10]);
        int day = digits(c, o + 5, o + 7);
        int year = digits(c, o + 12, o + 16);
        int hour = digits(c, o + 17, o + 19);
        int minute = digits(c, o + 20, o + 22);
        int second = digits(c, o + 23, o + 25);
        int offsetValue = digits(c, o + 27, o + 31);
        char sign = c[o + 26];
        if (month < 0 || (day | year | hour | minute | second | offsetValue) < 0 || (sign != '+' && sign != '-')) {
            return null;
        }
        try {
            int offsetSeconds = ((offsetValue / 100) * 3600 + (offsetValue % 100) * 60) * (sign == '-' ? -1 : 1);
            ZoneOffset zone = offsetSeconds == 0 ? ZoneOffset.UTC : ZoneOffset.ofTotalSeconds(offsetSeconds);
            LocalDateTime local = LocalDateTime.of(year, month + 1, day, hour, minute, second);
            String dayName = DAYS[local.getDayOfWeek().getValue()];
            if (c[o] != dayName.charAt(0) || c[o + 1] != dayName.charAt(1) || c[o + 2] != dayName.charAt(2)) {
                return null; // let the formatter report the inconsistent day of week
            }
            return ZonedDateTime.of(local, zone);
        } catch (DateTimeException outOfRange) {
            return null;
        }
    }

    /** The month (0 for January) of a three-letter English abbreviation, or -1. */
    private static int month(char a, char b, char c) {
        for (int m = 0; m < 12; m++) {
            int i = m * 3;
            if (MONTHS.charAt(i) == a && MONTHS.charAt(i + 1) == b && MONTHS.charAt(i + 2) == c) {
                return m;
            }
        }
        return -1;
    }

    /** The decimal number in {@code c[from, to)}, or -1 if any character is not a digit. */
    private static int digits(char[] c, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char ch = c[i];
            if (ch < '0' || ch > '9') {
                return -1;
            }
            n = n * 10 + (ch - '0');
        }
        return n;
    }
}
