package org.nke.sketch;

import java.util.ArrayList;
import java.util.List;
import org.nke.dual.DualActivation;
import org.nke.exact.DenseNetwork;
import org.nke.exact.FeatureShape;
import org.nke.exact.Sketcher;
import org.nke.hermite.HermiteSource;
import org.nke.ir.FeatureMap;
import org.nke.ir.FeatureMerge;
import org.nke.ir.Join;

/**
 * The dense sketch's primitives ({@link Sketcher}) for one plan: makes the {@link FeatureOps} with
 * their random draws, in program order. Activation {@code i} (counted in program order) draws from
 * the seed paths {@code (i, …)} as it always has, so serial networks keep their features bit for bit;
 * fan-in draws (re-sketches, tensor sketches) use {@code (JOINS, j, role)}, {@code j} counted in
 * program order.
 */
final class PlanSketcher implements Sketcher {
  /** Root of the fan-ins' seed paths, far from any activation index. */
  private static final int JOINS = -1000;

  private final SketchOptions options;
  private final List<ActivationSketch> layers = new ArrayList<>();
  private int joins;

  PlanSketcher(SketchOptions options) {
    this.options = options;
  }

  /** @return the activations' sketches made so far, in program order */
  List<ActivationSketch> layers() {
    return List.copyOf(layers);
  }

  @Override
  public boolean ntk() {
    return options.ntk();
  }

  @Override
  public int budget() {
    return options.dim();
  }

  @Override
  public FeatureMap identity(String where, FeatureShape in) {
    return new FeatureOps.Identity(in.nngp(), in.ntk());
  }

  @Override
  public FeatureMap affine(String where, DenseNetwork.Affine a, FeatureShape in) {
    int k = in.nngp() + (a.b2() > 0 ? 1 : 0);
    int t = ntk() ? in.nngp() + in.ntk() + (a.ntkConstant() > 0 ? 1 : 0) : 0;
    return new FeatureOps.Affine(a, k, t);
  }

  @Override
  public FeatureMap activation(String where, DualActivation dual, FeatureShape in) {
    HermiteSource source = SketchPlan.hermiteSource(dual);
    double[] vars = in.referenceNngp();
    boolean ntk = ntk();
    int q = options.degree() > 0 ? options.degree() : BlockWidths.autoDegree(source, vars, ntk,
        options.tailTolerance());
    BlockLayout layout = BlockWidths.layout(source, vars, q, ntk, in.nngp(), in.budgetNngp(),
        options.degree() > 0);
    ActivationSketch sk = new ActivationSketch(source, in.nngp(), layout, ntk ? in.ntk() : 0,
        in.budgetNtk(), options.seed(), layers.size());
    layers.add(sk);
    return new FeatureOps.Activation(sk, dual, where);
  }

  @Override
  public FeatureMap normalize(String where, double eps, FeatureShape in) {
    return new FeatureOps.Normalize(eps, in.nngp(), in.ntk());
  }

  @Override
  public FeatureMerge concatenate(String where, Join join, FeatureShape acc, FeatureShape in) {
    return new FeatureOps.Concatenate(join.alpha(), join.beta(), acc.nngp() + in.nngp(),
        acc.ntk() + in.ntk());
  }

  @Override
  public FeatureMerge product(String where, int branch, FeatureShape acc, FeatureShape in) {
    int j = joins++;
    TensorProduct k = new TensorProduct(acc.nngp(), in.nngp(), in.budgetNngp(),
        SketchRandom.derive(options.seed(), JOINS, j, 0));
    if (!ntk()) {
      return new FeatureOps.Product(k, null, null);
    }
    int half = in.budgetNtk() / 2;
    TensorProduct left = new TensorProduct(acc.ntk(), in.nngp(), half,
        SketchRandom.derive(options.seed(), JOINS, j, 1));
    TensorProduct right = new TensorProduct(acc.nngp(), in.ntk(), half,
        SketchRandom.derive(options.seed(), JOINS, j, 2));
    return new FeatureOps.Product(k, left, right);
  }

  @Override
  public FeatureMap project(String where, FeatureShape in) {
    int j = joins++;
    LinearSketch k = in.nngp() > in.budgetNngp() ? projection(in.nngp(), in.budgetNngp(),
        SketchRandom.derive(options.seed(), JOINS, j, 0)) : null;
    LinearSketch t = ntk() && in.ntk() > in.budgetNtk() ? projection(in.ntk(), in.budgetNtk(),
        SketchRandom.derive(options.seed(), JOINS, j, 1)) : null;
    return new FeatureOps.Project(k, t, k == null ? in.nngp() : k.outputs(),
        t == null ? in.ntk() : t.outputs());
  }

  private static LinearSketch projection(int dim, int width, SketchRandom rnd) {
    return new LinearSketch(dim, Math.min(width, LinearSketch.maxOutputs(dim)) & ~1, rnd);
  }
}
