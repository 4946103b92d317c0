package org.nke.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A named grid of benchmark cases and the plots drawn from its results. */
public interface Suite {
  /** @return the suite's name, as given to {@code nke bench --suite} */
  String name();

  /** @return one line saying what the suite measures */
  String description();

  /**
   * @param quick the small grid ({@code --quick}) instead of the full one
   * @return the cases, cheapest first
   */
  List<BenchCase> cases(boolean quick);

  /**
   * @param results this suite's results
   * @return Markdown appended after the suite's table (e.g. extrapolations), or empty
   */
  default String summary(List<BenchResult> results) {
    return "";
  }

  /**
   * Draws the suite's PNG plots.
   *
   * @param results this suite's results
   * @param dir the output directory
   * @throws IOException on write errors
   */
  void plot(List<BenchResult> results, Path dir) throws IOException;
}
