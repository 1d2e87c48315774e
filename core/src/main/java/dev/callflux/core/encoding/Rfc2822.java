package dev.callflux.core.encoding;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Twilio's RFC 2822 dates ({@code "Tue, 31 Aug 2010 20:36:28 +0000"}). Every Call carries four, and
 * {@link DateTimeFormatter} spends more time on them than on all the rest of the JSON, so the fixed
 * layout Twilio uses is read directly; anything else goes through {@link DateTimeFormatter#RFC_1123_DATE_TIME}.
 */
final class Rfc2822 {

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
        ZonedDateTime fast = s.length() == 31 ? fixedLayout(s) : null;
        return fast != null ? fast : ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
    }

    /** {@code EEE, dd MMM yyyy HH:mm:ss ±hhmm}, or {@code null} if {@code s} does not have exactly that shape. */
    private static ZonedDateTime fixedLayout(String s) {
        if (s.charAt(3) != ',' || s.charAt(4) != ' ' || s.charAt(7) != ' ' || s.charAt(11) != ' ' || s.charAt(16) != ' '
                || s.charAt(19) != ':' || s.charAt(22) != ':' || s.charAt(25) != ' ') {
            return null;
        }
        int month = MONTHS.indexOf(s.substring(8, 11));
        int day = digits(s, 5, 7);
        int year = digits(s, 12, 16);
        int hour = digits(s, 17, 19);
        int minute = digits(s, 20, 22);
        int second = digits(s, 23, 25);
        int offset = digits(s, 27, 31);
        char sign = s.charAt(26);
        if (month < 0 || month % 3 != 0 || (day | year | hour | minute | second | offset) < 0 || (sign != '+' && sign != '-')) {
            return null;
        }
        try {
            int offsetSeconds = ((offset / 100) * 3600 + (offset % 100) * 60) * (sign == '-' ? -1 : 1);
            ZoneOffset zone = offsetSeconds == 0 ? ZoneOffset.UTC : ZoneOffset.ofTotalSeconds(offsetSeconds);
            LocalDateTime local = LocalDateTime.of(year, month / 3 + 1, day, hour, minute, second);
            if (!s.startsWith(DAYS[local.getDayOfWeek().getValue()])) {
                return null; // let the formatter report the inconsistent day of week
            }
            return ZonedDateTime.of(local, zone);
        } catch (java.time.DateTimeException outOfRange) {
            return null;
        }
    }

    /** The decimal number in {@code s[from, to)}, or -1 if any character is not a digit. */
    private static int digits(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
