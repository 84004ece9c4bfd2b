package io.mxwatch.model;

import java.util.Map;

/**
 * Overall and per-category percentages, computed the way the mail test of internet.nl does.
 *
 * @param overall mean of the category percentages, 0 to 100, or null when nothing was scored
 * @param categories percentage per category that had at least one scored subtest
 */
public record Score(Integer overall, Map<Category, Integer> categories) {
  public Score {
    categories = Map.copyOf(categories);
  }

  public static Score none() {
    return new Score(null, Map.of());
  }
}
