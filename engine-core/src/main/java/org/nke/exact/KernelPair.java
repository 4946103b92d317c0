package org.nke.exact;

import org.nke.spi.KernelMatrix;

/**
 * The result of an exact kernel computation.
 *
 * @param nngp the NNGP kernel {@code K(X, Y)}, or {@code null} if not requested
 * @param ntk the NTK {@code Θ(X, Y)}, or {@code null} if not requested
 * @param errorBound bound on the relative error of numerical duals (0 when all duals are closed
 *     forms): {@code |error| ≤ errorBound · √(K(x,x) K(y,y))} per activation layer
 * @param backend the backend that computed it, e.g. {@code cpu}
 */
public record KernelPair(KernelMatrix nngp, KernelMatrix ntk, double errorBound, String backend) {
}
