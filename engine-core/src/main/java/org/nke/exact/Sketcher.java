package org.nke.exact;

import org.nke.dual.DualActivation;
import org.nke.exact.DenseNetwork.Affine;
import org.nke.ir.FeatureMap;
import org.nke.ir.FeatureMerge;
import org.nke.ir.Join;

/**
 * The primitives of the sketch, called by the layers' sketch rules at plan time as the exact rules
 * call {@code Backend} primitives: each returns a compiled per-point map with its random draws made.
 * Implemented by {@code org.nke.sketch} (the features) and by the subspace embedding's power series,
 * which refuses what it cannot compose. {@code where} names the layer for messages.
 */
public interface Sketcher {
  /** @return whether NTK features are carried */
  boolean ntk();

  /** @return the budget {@code m}: NNGP features ≤ m, NTK features ≤ 2m */
  int budget();

  /**
   * @param where the layer, for messages
   * @param in the shape before it
   * @return the identity
   */
  FeatureMap identity(String where, FeatureShape in);

  /**
   * {@code Φ_K ← [σ_w Φ_K, σ_b]}, {@code Φ_Θ ← [√a Φ_K, √b Φ_Θ, √c]}.
   *
   * @param where the layer
   * @param affine its coefficients
   * @param in the shape before it
   * @return the map
   */
  FeatureMap affine(String where, Affine affine, FeatureShape in);

  /**
   * An activation's sketch, its blocks sized from the reference variances.
   *
   * @param where the layer
   * @param dual its dual
   * @param in the shape before it, with the widths to produce
   * @return the map
   */
  FeatureMap activation(String where, DualActivation dual, FeatureShape in);

  /**
   * {@code Φ ← Φ / √(k + eps)} with the point's exact variance {@code k}.
   *
   * @param where the layer
   * @param eps the layer's epsilon
   * @param in the shape before it
   * @return the map
   */
  FeatureMap normalize(String where, double eps, FeatureShape in);

  /**
   * The features of {@code α K_acc + β K_i}: {@code [√α Φ_acc, √β Φ_i]} (FanInSum, FanInConcat).
   *
   * @param where the fan-in
   * @param join the exact rule's linear join
   * @param accumulator the merged branches' shape
   * @param in the branch's shape
   * @return the merge
   */
  FeatureMerge concatenate(String where, Join join, FeatureShape accumulator, FeatureShape in);

  /**
   * The features of {@code K_acc K_i} and {@code Θ_acc K_i + K_acc Θ_i} (FanInProd): tensor
   * sketches of the widths in {@code in}'s budget, or exact products where they fit.
   *
   * @param where the fan-in
   * @param branch the branch's index (seed path)
   * @param accumulator the merged branches' shape
   * @param in the branch's shape, with the widths to produce
   * @return the merge
   */
  FeatureMerge product(String where, int branch, FeatureShape accumulator, FeatureShape in);

  /**
   * A re-sketch (JL projection) of whichever of {@code Φ_K}, {@code Φ_Θ} is wider than the budget in
   * {@code in}.
   *
   * @param where the fan-in whose concatenation is re-sketched
   * @param in the shape, with the widths to produce
   * @return the map
   */
  FeatureMap project(String where, FeatureShape in);
}
