package io.mxwatch.web;

import io.mxwatch.model.Status;
import io.mxwatch.store.FleetEntry;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Filter, sort order and page of the fleet overview, from its query parameters.
 *
 * @param text substring of the name, in either form, or empty
 * @param status a status wire name, {@code unscanned}, or empty for all
 * @param sort {@code name}, {@code score} (lowest first) or {@code scanned} (oldest first)
 * @param page page number from 1
 */
public record FleetQuery(String text, String status, String sort, int page) {
  static final int PAGE_SIZE = 200;
  static final List<String> SORTS = List.of("name", "score", "scanned");

  public FleetQuery {
    text = text == null ? "" : text.strip();
    status = status == null ? "" : status.strip().toLowerCase(Locale.ROOT);
    sort = sort != null && SORTS.contains(sort) ? sort : "name";
    page = Math.max(1, page);
  }

  List<FleetEntry> apply(List<FleetEntry> entries) {
    return entries.stream().filter(matches()).sorted(order()).toList();
  }

  private Predicate<FleetEntry> matches() {
    String needle = text.toLowerCase(Locale.ROOT);
    return entry -> {
      boolean textMatches =
          needle.isEmpty()
              || entry.domain().name().contains(needle)
              || entry.domain().unicodeName().toLowerCase(Locale.ROOT).contains(needle);
      return textMatches && statusMatches(entry);
    };
  }

  private boolean statusMatches(FleetEntry entry) {
    if (status.isEmpty()) {
      return true;
    }
    if (status.equals("unscanned")) {
      return entry.latest() == null;
    }
    return entry.latest() != null
        && entry.latest().worstStatus() != null
        && entry.latest().worstStatus().wireName().equals(status);
  }

  private Comparator<FleetEntry> order() {
    Comparator<FleetEntry> byName = Comparator.comparing(e -> e.domain().name());
    return switch (sort) {
      case "score" ->
          Comparator.<FleetEntry, Integer>comparing(
                  e -> e.latest() == null ? null : e.latest().score(),
                  Comparator.nullsLast(Comparator.naturalOrder()))
              .thenComparing(byName);
      case "scanned" ->
          Comparator.<FleetEntry, Instant>comparing(
                  e -> e.latest() == null ? null : e.latest().startedAt(),
                  Comparator.nullsFirst(Comparator.naturalOrder()))
              .thenComparing(byName);
      default -> byName;
    };
  }

  /** True when {@code status} names a status the filter understands. */
  boolean validStatus() {
    if (status.isEmpty() || status.equals("unscanned")) {
      return true;
    }
    for (Status candidate : Status.values()) {
      if (candidate.wireName().equals(status)) {
        return true;
      }
    }
    return false;
  }
}
