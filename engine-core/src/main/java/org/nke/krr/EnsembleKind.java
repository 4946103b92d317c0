package org.nke.krr;

/**
 * Which kernel drives the training dynamics of the infinite ensemble (neural-tangents' {@code get}).
 */
public enum EnsembleKind {
  /** Only the last layer is trained (Bayesian posterior as {@code t → ∞}): the NNGP everywhere. */
  NNGP,
  /** All layers are trained: the NTK drives the dynamics, the NNGP is the prior covariance. */
  NTK
}
