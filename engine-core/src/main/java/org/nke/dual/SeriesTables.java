package org.nke.dual;

/**
 * The per-point coefficient tables of a {@link HermiteSeriesDual} bound to a block's points, exported
 * so that another backend (the CUDA one) can evaluate exactly the same series:
 *
 * <pre>{@code
 * ρ   = clip(k_xy · invScaleX[i] · invScaleY[j], −1, 1)
 * K'  = Σ_{k ≤ top} coefX[i·stride + k] · coefY[j·stride + k] · ρ^k
 * K̇   = Σ_{k ≤ top} derivX[i·stride + k] · derivY[j·stride + k] · ρ^k
 * top = HermiteSeriesDual.truncationDegree(|ρ|, stride − 1, logTolerance)
 * }</pre>
 *
 * summed by Horner's rule from {@code k = top} down. The arrays are the binding's own storage,
 * shared, not copied: callers must not modify them.
 *
 * @param stride coefficients per point (the chosen degree plus one)
 * @param coefX coefficients of {@code φ} at each row point's scale, {@code rows × stride}
 * @param coefY the same for the column points (the same array as {@code coefX} when X = Y)
 * @param derivX coefficients of {@code φ'} per row point, or {@code null} without a derivative
 * @param derivY the same for the column points, or {@code null}
 * @param invScaleX {@code 1/√k_xx} per row point (0 for a zero variance)
 * @param invScaleY {@code 1/√k_yy} per column point
 * @param logTolerance {@code ln(tol)}, the per-pair truncation parameter
 */
public record SeriesTables(int stride, double[] coefX, double[] coefY, double[] derivX,
    double[] derivY, double[] invScaleX, double[] invScaleY, double logTolerance) {
}
