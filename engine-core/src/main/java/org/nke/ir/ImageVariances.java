package org.nke.ir;

/**
 * One image's exact self-kernel quantities that the CNTK sketch reads (computed by
 * {@code org.nke.cntk.PixelVariances}, on the host or on a backend's {@code ConvOps}): the per-pixel
 * variances {@code K_xx(p, p)} before every probe, the pre-activation variances of the dense tail, the
 * readout's self-kernels and the network's output self-kernels (what the sketch's exact diagonal
 * scales its features to).
 *
 * @param spatial per spatial variance probe (activations and LayerNorms, by their {@code index}),
 *     the variance of every pixel of its grid
 * @param tail per activation after the readout, the pre-activation variance
 * @param nngp the readout's {@code K_xx} (after Flatten or GlobalAvgPool)
 * @param ntk the readout's {@code Θ_xx}, or NaN when not computed
 * @param outputNngp the network's output {@code K(x, x)} (after the dense tail)
 * @param outputNtk the network's output {@code Θ(x, x)}, or NaN when not computed
 */
public record ImageVariances(double[][] spatial, double[] tail, double nngp, double ntk,
    double outputNngp, double outputNtk) {
}
