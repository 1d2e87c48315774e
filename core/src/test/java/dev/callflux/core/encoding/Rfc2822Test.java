package dev.callflux.core.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Rfc2822Test {

    private static final DateTimeFormatter TWILIO = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);

    @Test
    void readsTwiliosLayoutExactlyAsTheJdkFormatterDoes() {
        Random random = new Random(2822);
        for (int i = 0; i < 20_000; i++) {
            ZonedDateTime t = ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE)),
                    i % 5 == 0 ? ZoneOffset.ofHoursMinutes(-5, -30) : ZoneOffset.UTC);
            String text = TWILIO.format(t);
            assertThat(Rfc2822.parse(text)).as(text)
                    .isEqualTo(ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME))
                    .isEqualTo(t.withNano(0));
        }
    }

    @Test
    void otherRfc2822FormsFallBackToTheFormatter() {
        assertThat(Rfc2822.parse("Tue, 31 Aug 2010 20:36:28 GMT")).isEqualTo(ZonedDateTime.of(2010, 8, 31, 20, 36, 28, 0, ZoneOffset.UTC));
        assertThat(Rfc2822.parse("Tue, 3 Aug 2010 20:36:28 +0000")).isEqualTo(ZonedDateTime.of(2010, 8, 3, 20, 36, 28, 0, ZoneOffset.UTC));
    }

    @Test
    void nonsenseIsRefused() {
        for (String bad : new String[] {"Mon, 31 Aug 2010 20:36:28 +0000", "Tue, 31 Foo 2010 20:36:28 +0000",
                "Tue, 32 Aug 2010 20:36:28 +0000", "Tue, 31 Aug 2010 25:36:28 +0000", "Tue, 31 Aug 2010 20:36:28 *0000",
                "yesterday at noon, more or less!"}) {
            assertThatThrownBy(() -> Rfc2822.parse(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
        }
    }
}
