package org.nke.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.bench.BenchCase;
import org.nke.bench.Suite;

/** {@code nke bench}: suite selection, the files it writes, and the grids of every suite. */
class BenchCommandTest extends CommandTest {
  @TempDir
  Path dir;

  @Test
  void aQuickSuiteWritesItsResultsTableAndPlot() throws IOException {
    assertEquals(0, nke("bench", "--suite", "sparse", "--quick", "--quiet", "--out-dir",
        dir.toString()), err);
    List<String> lines = Files.readAllLines(dir.resolve("sparse.jsonl"));
    assertFalse(lines.isEmpty());
    for (String line : lines) {
      assertTrue(line.startsWith("{\"suite\": \"sparse\"") && line.endsWith("}"), line);
      assertFalse(line.contains("\"failure\""), line);
      assertTrue(line.matches(".*\"seconds\": [0-9.e+-]+,.*"), line);
    }
    String md = Files.readString(dir.resolve("sparse.md"));
    assertEquals(lines.size() + 3, md.strip().split("\n").length - 1, md);
    assertTrue(Files.readString(dir.resolve("summary.md")).contains("- machine: "));
    byte[] png = Files.readAllBytes(dir.resolve("sparse.png"));
    assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
    assertTrue(out.contains("## sparse"), out);
  }

  @Test
  void anUnknownSuiteIsNamedWithTheKnownOnes() {
    assertEquals(2, nke("bench", "--suite", "nope", "--out-dir", dir.toString()));
    assertTrue(err.contains("unknown suite 'nope'") && err.contains("hermite"), err);
  }

  @Test
  void everySuiteHasNamedDistinctCasesInItsQuickGrid() {
    // suites build their data with the grid, so only the quick grids are built here, one at a time
    Set<String> suites = new HashSet<>();
    for (Suite s : BenchCommand.all()) {
      assertTrue(suites.add(s.name()) && !s.name().equals("all") && !s.description().isBlank(), s.name());
      List<BenchCase> cases = s.cases(true);
      assertFalse(cases.isEmpty(), s.name());
      Set<String> names = new HashSet<>();
      for (BenchCase c : cases) {
        assertTrue(names.add(c.name()), s.name() + ": duplicate case " + c.name());
        assertFalse(c.params().isEmpty(), s.name() + "/" + c.name());
      }
    }
  }
}
