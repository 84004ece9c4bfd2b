package io.mxwatch.check.auth.spf;

import java.util.List;
import java.util.Optional;

/**
 * A syntactically valid SPF record.
 *
 * @param text the record as published, TXT strings joined
 * @param mechanisms the directives, in order
 * @param redirect the {@code redirect=} target, or null
 * @param explanation the {@code exp=} target, or null
 * @param unknownModifiers modifiers that evaluation ignores (RFC 7208 §6)
 * @param terms every term in order, for display
 */
public record SpfRecord(
    String text,
    List<Mechanism> mechanisms,
    Modifier redirect,
    Modifier explanation,
    List<Modifier> unknownModifiers,
    List<Object> terms) {

  public SpfRecord {
    mechanisms = List.copyOf(mechanisms);
    unknownModifiers = List.copyOf(unknownModifiers);
    terms = List.copyOf(terms);
  }

  /** The first {@code all} mechanism, which ends every evaluation that reaches it. */
  public Optional<Mechanism> all() {
    return mechanisms.stream().filter(m -> m.kind() == Mechanism.Kind.ALL).findFirst();
  }
}
