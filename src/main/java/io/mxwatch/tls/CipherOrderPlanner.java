package io.mxwatch.tls;

import java.util.List;

/**
 * Plans the cipher order test from the suites a server accepts. The grading tables decide which
 * suites must win, so the plan comes from the checks and the probe only runs it.
 */
public interface CipherOrderPlanner {

  /** The offers to make, each with the suite a server that enforces its own order picks. */
  List<OrderTest> plan(List<Integer> accepted);

  /**
   * One offer of the order test.
   *
   * @param offer suites in the order the hello lists them
   * @param expected the suite the server should choose
   */
  record OrderTest(List<Integer> offer, int expected) {
    public OrderTest {
      offer = List.copyOf(offer);
    }
  }
}
