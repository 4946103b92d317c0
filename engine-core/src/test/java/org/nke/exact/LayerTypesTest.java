package org.nke.exact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nke.arch.ArchParser;
import org.nke.arch.Architecture;
import org.nke.arch.FanIn;
import org.nke.arch.FanOut;
import org.nke.arch.Flatten;
import org.nke.arch.GlobalAvgPool;
import org.nke.arch.Layer;
import org.nke.arch.LayerCatalog;
import org.nke.arch.LayerSignature;
import org.nke.error.ArchException;

/** Every type of the one table of layer types parses by its name and, unless structure, has rules. */
class LayerTypesTest {
  /** An architecture using each type (a new type adds its line here). */
  private static final Map<String, String> EXAMPLES = Map.ofEntries(
      Map.entry("Dense", "Dense(16, W_std=1.5, b_std=0.1, parameterization='standard')"),
      Map.entry("Conv", "Conv(8, (3, 3), padding='SAME', W_std=2.0)"),
      Map.entry("AvgPool", "AvgPool((2, 2), strides=(2, 2))"),
      Map.entry("SumPool", "SumPool((2, 2), padding='SAME')"),
      Map.entry("GlobalAvgPool", "Conv(8, (3, 3)), GlobalAvgPool()"),
      Map.entry("Flatten", "Flatten()"),
      Map.entry("Identity", "Identity()"),
      Map.entry("FanOut", "FanOut(2), FanInSum()"),
      Map.entry("FanInSum", "FanOut(3), FanInSum()"),
      Map.entry("FanInProd", "FanOut(2), FanInProd()"),
      Map.entry("FanInConcat", "FanOut(2), FanInConcat(axis=-1)"),
      Map.entry("LayerNorm", "LayerNorm(axis=(1, 2, 3), eps=0.5)"));

  /** The types the compilers handle as structure, without a rules factory in the table. */
  private static final Set<String> STRUCTURE = Set.of("GlobalAvgPool", "FanOut", "FanInSum",
      "FanInProd", "FanInConcat");

  private static Layer parsed(LayerTypes.Type<?> type) {
    String example = EXAMPLES.get(type.name());
    assertNotNull(example, type.name() + " needs an example in LayerTypesTest.EXAMPLES");
    Architecture arch = ArchParser.parse(example);
    Layer layer = arch.layers().stream().filter(l -> l.getClass() == type.record()).findFirst()
        .orElseThrow(() -> new AssertionError(example + " has no " + type.record().getName()));
    assertEquals(arch, ArchParser.parse(arch.describe()), "describe() parses back: " + example);
    return layer;
  }

  @Test
  void everyNameParsesToALayerOfItsRecordClass() {
    List<String> names = LayerTypes.types().stream().map(LayerTypes.Type::name).toList();
    assertEquals(EXAMPLES.keySet(), Set.copyOf(names));
    assertEquals(names.size(), Set.copyOf(names).size(), "names are unique");
    for (LayerTypes.Type<?> type : LayerTypes.types()) {
      parsed(type);
    }
  }

  @Test
  void everyTypeButStructureHasRules() {
    for (LayerTypes.Type<?> type : LayerTypes.types()) {
      Layer layer = parsed(type);
      if (STRUCTURE.contains(type.name())) {
        assertNull(type.rules(), type.name());
        assertTrue(layer instanceof FanOut || layer instanceof FanIn
            || layer instanceof GlobalAvgPool, type.name());
        ArchException e = assertThrows(ArchException.class, () -> LayerKernel.of(layer, 2, 8));
        assertTrue(e.getMessage().startsWith("layer 2 (" + layer.describe() + ")"),
            e.getMessage());
        continue;
      }
      assertNotNull(type.rules(), type.name());
      if (!layer.needsImages()) {
        LayerKernel onVectors = LayerKernel.of(layer, 2, 8);
        assertEquals(layer.describe(), onVectors.describe());
        assertEquals(2, onVectors.position());
      } else {
        ArchException e = assertThrows(ArchException.class, () -> LayerKernel.of(layer, 2, 8));
        assertTrue(e.getMessage().contains("needs image inputs"), e.getMessage());
      }
      if (!(layer instanceof Flatten)) {
        LayerKernel onImages = LayerKernel.forImages(layer, 3);
        assertEquals(layer.describe(), onImages.describe());
      }
    }
  }

  @Test
  void denseTakesItsInputWidthOnVectorsOnly() {
    Layer standard = ArchParser.parse(EXAMPLES.get("Dense")).layers().get(0);
    ArchException e = assertThrows(ArchException.class, () -> LayerKernel.of(standard, 2, -1));
    assertTrue(e.getMessage().contains("needs the width of its input"), e.getMessage());
    assertEquals(standard.describe(), LayerKernel.forImages(standard, 2).describe());
  }

  @Test
  void theParserFindsTheTableThroughServiceLoader() {
    List<LayerCatalog> catalogs = ServiceLoader.load(LayerCatalog.class).stream()
        .map(ServiceLoader.Provider::get).toList();
    assertEquals(1, catalogs.stream().filter(c -> c instanceof LayerTypes).count());
    List<String> signatures = new LayerTypes().signatures().stream().map(LayerSignature::name)
        .toList();
    assertEquals(LayerTypes.types().stream().map(LayerTypes.Type::name).toList(), signatures);
    assertFalse(signatures.contains("Relu"), "activations stay with DualCatalog");
  }
}
