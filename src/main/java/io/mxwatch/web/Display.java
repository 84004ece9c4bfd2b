package io.mxwatch.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.mxwatch.model.Finding;
import io.mxwatch.model.Status;
import io.quarkus.qute.TemplateExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Display helpers for the templates. Text from DNS and SMTP goes through {@link #visible} before
 * Qute escapes it, so control and bidirectional-override characters show as escapes instead of
 * rearranging or hiding what is around them.
 */
@TemplateExtension
public final class Display {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  private static final ObjectMapper PRETTY =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private Display() {}

  /** Replaces control, format and bidi characters with {@code \\u{XXXX}} escapes. */
  public static String visible(String text) {
    return escapeHidden(text, false);
  }

  private static String escapeHidden(String text, boolean keepLineFeeds) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (hidden(c) && !(keepLineFeeds && c == '\n')) {
                out.append(String.format("\\u{%04X}", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }

  private static boolean hidden(int c) {
    int type = Character.getType(c);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }

  /** Formats the finding's details as indented JSON with hidden characters escaped. */
  public static String detailsText(Finding finding) {
    try {
      // Line feeds here come from the indentation; JSON escapes those inside strings.
      return escapeHidden(PRETTY.writeValueAsString(finding.details()), true);
    } catch (JsonProcessingException e) {
      return visible(String.valueOf(finding.details()));
    }
  }

  public static boolean hasDetails(Finding finding) {
    return !finding.details().isEmpty();
  }

  public static String css(Status status) {
    return status == null ? "status-none" : "status-" + status.wireName().replace('_', '-');
  }

  public static String label(Status status) {
    return status == null ? "not scanned" : status.wireName().replace('_', ' ');
  }

  public static String utc(Instant instant) {
    return instant == null ? "never" : TIME.format(instant);
  }

  /** {@code 5 min ago}, {@code 3 h ago}, {@code 2 d ago}, or {@code in 4 h} for the future. */
  public static String ago(Instant instant) {
    if (instant == null) {
      return "never";
    }
    Duration age = Duration.between(instant, Instant.now());
    boolean future = age.isNegative();
    Duration span = age.abs();
    String amount;
    if (span.toMinutes() < 1) {
      amount = span.toSeconds() + " s";
    } else if (span.toHours() < 1) {
      amount = span.toMinutes() + " min";
    } else if (span.toDays() < 2) {
      amount = span.toHours() + " h";
    } else {
      amount = span.toDays() + " d";
    }
    return future ? "in " + amount : amount + " ago";
  }

  public static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
