package io.mxwatch.check.auth.spf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The records and terms an evaluation visited, with the DNS lookups each term cost. */
public final class SpfTree {
  private SpfTree() {}

  /**
   * One SPF record that was looked up.
   *
   * @param domain the domain whose record this is
   * @param record the record text, or null when none was selected
   * @param result the result of evaluating this record on its own
   * @param problem why the result is an error or none, or null
   * @param terms the terms evaluated, in order
   */
  public record RecordNode(
      String domain, String record, SpfResult result, String problem, List<TermNode> terms) {
    public RecordNode {
      terms = List.copyOf(terms);
    }

    /** DNS-querying terms in this record and everything below it. */
    public int lookups() {
      return terms.stream().mapToInt(TermNode::subtreeLookups).sum();
    }

    /** The tree as nested maps for a finding's details. */
    public Map<String, Object> toDetails() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("domain", domain);
      map.put("record", record);
      map.put("result", result.wireName());
      if (problem != null) {
        map.put("problem", problem);
      }
      map.put("lookups", lookups());
      List<Map<String, Object>> termMaps = new ArrayList<>();
      for (TermNode term : terms) {
        termMaps.add(term.toDetails());
      }
      map.put("terms", termMaps);
      return map;
    }
  }

  /**
   * One evaluated term.
   *
   * @param term the term as written
   * @param lookups 1 for a term that counts towards the limit of 10 DNS lookups, else 0
   * @param runningTotal the DNS-lookup count of the whole evaluation after this term
   * @param voidLookups lookups of this term that returned NXDOMAIN or no records
   * @param note what happened, such as "matched" or "depends on the sender", or null
   * @param target the record an include or redirect led to, or null
   */
  public record TermNode(
      String term, int lookups, int runningTotal, int voidLookups, String note, RecordNode target) {

    public int subtreeLookups() {
      return lookups + (target == null ? 0 : target.lookups());
    }

    Map<String, Object> toDetails() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("term", term);
      map.put("lookups", subtreeLookups());
      map.put("runningTotal", runningTotal);
      if (voidLookups > 0) {
        map.put("voidLookups", voidLookups);
      }
      if (note != null) {
        map.put("note", note);
      }
      if (target != null) {
        map.put("target", target.toDetails());
      }
      return map;
    }
  }
}
