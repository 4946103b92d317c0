package org.nke.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nke.error.BackendUnavailableException;
import org.nke.spi.Availability;
import org.nke.spi.BackendOptions;
import org.nke.spi.BackendProvider;
import org.nke.spi.Backends;

/** The provider loads, probes and explains itself on any machine, with or without a GPU. */
class CudaBackendProviderTest {
  @Test
  void isDiscoveredThroughTheServiceLoaderAndRanksAboveTheCpu() {
    BackendProvider cuda = Backends.providers().stream().filter(p -> p.name().equals("cuda"))
        .findFirst().orElseThrow();
    assertTrue(cuda.priority() > 0);
    assertEquals("cuda", Backends.providers().get(0).name());
  }

  @Test
  void probeNeverThrowsAndGivesAReasonOrADevice() {
    Availability a = new CudaBackendProvider().probe();
    if (a.available()) {
      assertFalse(a.device().isBlank());
    } else {
      assertFalse(a.reason().isBlank());
      assertEquals("none", a.device());
    }
    assertEquals(a, new CudaBackendProvider().probe(), "the probe result is computed once");
  }

  @Test
  void diagnosticsAlwaysSaySomething() {
    List<String> lines = new CudaBackendProvider().diagnostics();
    assertFalse(lines.isEmpty());
    assertTrue(lines.get(0).contains("driver") || lines.get(0).contains("probe"), lines.toString());
  }

  @Test
  void openingAnUnavailableBackendIsExitCodeThree() {
    CudaBackendProvider p = new CudaBackendProvider();
    if (p.probe().available()) {
      return;
    }
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> Backends.open("cuda", BackendOptions.defaults()));
    assertEquals(3, e.exitCode());
    assertTrue(e.getMessage().contains(p.probe().reason()), e.getMessage());
  }

  @Test
  void autoFallsBackToTheCpuWithTheReason() {
    if (new CudaBackendProvider().probe().available()) {
      return;
    }
    try (Backends.Selection s = Backends.open("auto", BackendOptions.defaults().withThreads(1))) {
      assertEquals("cpu", s.backend().name());
      assertTrue(s.reason().contains("cuda unavailable: "), s.reason());
    }
  }
}
