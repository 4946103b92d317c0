package org.nke.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nke.error.BackendUnavailableException;
import org.nke.error.NkeException;

class BackendsTest {
  @Test
  void cpuProviderIsDiscoveredThroughTheServiceLoader() {
    assertTrue(Backends.providers().stream().anyMatch(p -> p.name().equals("cpu")));
  }

  @Test
  void autoChoosesAnAvailableBackendAndSaysWhy() {
    try (Backends.Selection s = Backends.open("auto", BackendOptions.defaults())) {
      assertTrue(s.reason().startsWith("backend auto: chose "), s.reason());
    }
  }

  @Test
  void explicitCpuOpensTheCpuBackend() {
    try (Backends.Selection s = Backends.open("cpu", BackendOptions.defaults().withThreads(2))) {
      assertEquals("cpu", s.backend().name());
      assertEquals("2 CPU threads", s.backend().device());
      assertEquals(Precision.F64, s.backend().defaultPrecision());
    }
  }

  @Test
  void cudaWithoutItsModuleOrDeviceIsAClearErrorWithExitCodeThree() {
    if (Backends.providers().stream().anyMatch(p -> p.name().equals("cuda") && p.probe().available())) {
      return;
    }
    BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
        () -> Backends.open("cuda", BackendOptions.defaults()));
    assertEquals(3, e.exitCode());
    assertTrue(e.getMessage().startsWith("backend cuda unavailable: "), e.getMessage());
  }

  @Test
  void unknownBackendIsAUsageError() {
    NkeException e = assertThrows(NkeException.class, () -> Backends.open("tpu", BackendOptions.defaults()));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains("unknown backend 'tpu'"), e.getMessage());
  }

  @Test
  void requestFallsBackToAutoWhenNothingIsSet() {
    if (System.getProperty("nke.backend") == null && System.getenv("NKE_BACKEND") == null) {
      assertEquals("auto", Backends.resolveRequest(null));
    }
    assertEquals("cpu", Backends.resolveRequest(" CPU "));
  }

  @Test
  void describeListsEveryProvider() {
    assertEquals(Backends.providers().size(), Backends.describe().size());
    assertTrue(Backends.describe().get(Backends.describe().size() - 1).startsWith("cpu"));
  }
}
