package io.mxwatch.check;

import io.mxwatch.model.Check;
import io.mxwatch.model.Finding;
import io.mxwatch.scan.ScanContext;
import java.util.List;

/**
 * A group of related checks. A module reads evidence through the {@link ScanContext} (whose probes
 * cache their results for the whole scan) and returns findings; the rules themselves live in pure
 * functions that tests call without a network.
 */
public interface CheckModule {

  /** The check ids this module reports. */
  List<Check> checks();

  /** Runs the module's checks. Faults of remote systems become findings, never exceptions. */
  List<Finding> run(ScanContext context);
}
