package org.nke.arch;

/**
 * Joins the branches made by {@link FanOut} into one (stax {@code FanInSum}, {@code FanInProd},
 * {@code FanInConcat}). The kernel rules of the joins assume, as stax's do, that the branches' outputs
 * are independent (given the input) and mean-zero: neither is checked — stax only warns of it — so a
 * network where two branches share weights gets the kernel of one whose branches do not.
 */
public sealed interface FanIn extends Layer permits FanInSum, FanInProd, FanInConcat {
}
