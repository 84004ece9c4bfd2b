package io.mxwatch.check.auth.spf;

import java.util.List;

/**
 * The outcome of one evaluation.
 *
 * @param result the SPF result
 * @param explanation the explanation string of a fail result (RFC 7208 §6.2), or null
 * @param problem why the result is an error, or null
 * @param problemTerm the term that caused the error, or null
 * @param problemRecord the domain whose record contains {@code problemTerm}, or null
 * @param dnsLookups terms that counted towards the limit of 10 (RFC 7208 §4.6.4)
 * @param voidLookups DNS-querying terms whose lookup returned NXDOMAIN or no records
 * @param root the tree of records and terms visited
 * @param warnings things that work but deserve attention, such as a domain included twice
 */
public record SpfEvaluation(
    SpfResult result,
    String explanation,
    String problem,
    String problemTerm,
    String problemRecord,
    int dnsLookups,
    int voidLookups,
    SpfTree.RecordNode root,
    List<String> warnings) {
  public SpfEvaluation {
    warnings = List.copyOf(warnings);
  }
}
