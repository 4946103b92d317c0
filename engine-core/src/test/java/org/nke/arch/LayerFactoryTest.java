package org.nke.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The parser's layer names come from the {@link LayerCatalog}s on the classpath, loaded once. */
class LayerFactoryTest {
  /** A catalog with the given names, each binding an identity. */
  private record Catalog(List<String> names) implements LayerCatalog {
    @Override
    public List<LayerSignature> signatures() {
      return names.stream().map(n -> new LayerSignature(n, a -> new Identity())).toList();
    }
  }

  @Test
  void theNamesAreThoseOfTheRegisteredCatalogsInTheirOrder() {
    List<String> names = new ArrayList<>();
    for (LayerCatalog c : ServiceLoader.load(LayerCatalog.class)) {
      c.signatures().forEach(s -> names.add(s.name()));
    }
    assertTrue(names.contains("SumPool"), names.toString());
    assertEquals(names, LayerFactory.names());
  }

  @Test
  void twoTypesWithOneNameAreANamedError() {
    IllegalStateException across = assertThrows(IllegalStateException.class,
        () -> LayerFactory.table(List.of(new Catalog(List.of("Dense", "Conv")),
            new Catalog(List.of("Dense")))));
    assertTrue(across.getMessage().startsWith("two layer types are named 'Dense' (in "),
        across.getMessage());
    IllegalStateException within = assertThrows(IllegalStateException.class,
        () -> LayerFactory.table(List.of(new Catalog(List.of("Pool", "Conv", "Pool")))));
    assertTrue(within.getMessage().startsWith("two layer types are named 'Pool'"),
        within.getMessage());
  }

  @Test
  void noCatalogNamesTheMissingServicesFile() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> LayerFactory.table(List.of()));
    assertEquals("no layer types found: engine-core's META-INF/services/org.nke.arch.LayerCatalog "
        + "is missing from the classpath (a shaded jar must merge service files)", e.getMessage());
    assertThrows(IllegalStateException.class,
        () -> LayerFactory.table(List.of(new Catalog(List.of()))));
  }

  @Test
  void catalogsAreMergedInOrder() {
    assertEquals(List.of("B", "A", "C"), List.copyOf(LayerFactory.table(List.of(
        new Catalog(List.of("B", "A")), new Catalog(List.of("C")))).keySet()));
  }
}
