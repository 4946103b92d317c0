package org.nke.sketch;

/**
 * PolySketch (Ahle et al. 2020, Algorithm 1): sketches of the tensor powers {@code u^{⊗k}},
 * {@code k = 2 … q}, of a real vector, each a balanced binary tree of {@link TensorSrht}s whose
 * leaves are independent randomised transforms {@code H D_j u} of the input, so that
 *
 * <pre>{@code E⟨S_k(u^{⊗k}), S_k(v^{⊗k})⟩ = ⟨u, v⟩^k}</pre>
 *
 * (real part of the Hermitian product of the complex outputs). The leaf transforms are shared across
 * degrees (degree {@code k} uses leaves {@code 1 … k}, distinct within the degree), so one input costs
 * {@code q} transforms of its length plus small ones inside the trees. Degree {@code k} has its own
 * width {@code M_k} (complex), used by every node of its tree.
 */
public final class PolySketch {
  private final int dim;
  private final Srht[] leaves;
  private final Node[] roots;
  private final int[] widths;

  /** A tree node: a leaf index or a TensorSRHT of two subtrees. */
  private static final class Node {
    final int leaf;
    final Node left;
    final Node right;
    final Srht leftTransform;
    final Srht rightTransform;
    final TensorSrht product;

    Node(int leaf) {
      this.leaf = leaf;
      this.left = null;
      this.right = null;
      this.leftTransform = null;
      this.rightTransform = null;
      this.product = null;
    }

    Node(Node left, Node right, int width, int leafSize, SketchRandom rnd) {
      this.leaf = -1;
      this.left = left;
      this.right = right;
      this.leftTransform = left.leaf >= 0 ? null : new Srht(width, true, rnd);
      this.rightTransform = right.leaf >= 0 ? null : new Srht(width, true, rnd);
      int size1 = left.leaf >= 0 ? leafSize : leftTransform.size();
      int size2 = right.leaf >= 0 ? leafSize : rightTransform.size();
      this.product = new TensorSrht(width, size1, size2, rnd);
    }
  }

  /**
   * @param dim input length
   * @param widths {@code widths[k]} = complex width {@code M_k} of degree {@code k} (entries 0 and 1
   *     ignored; 0 means the degree is not sketched)
   * @param seed root seed
   * @param path seed path of this sketch
   */
  public PolySketch(int dim, int[] widths, long seed, int... path) {
    this.dim = dim;
    this.widths = widths.clone();
    int q = widths.length - 1;
    this.leaves = new Srht[Math.max(q, 0)];
    for (int j = 0; j < leaves.length; j++) {
      leaves[j] = new Srht(dim, false, SketchRandom.derive(seed, concat(path, 0, j)));
    }
    this.roots = new Node[q + 1];
    for (int k = 2; k <= q; k++) {
      if (widths[k] > 0) {
        SketchRandom rnd = SketchRandom.derive(seed, concat(path, 1, k));
        roots[k] = build(0, k, widths[k], rnd);
      }
    }
  }

  private static int[] concat(int[] path, int a, int b) {
    int[] p = java.util.Arrays.copyOf(path, path.length + 2);
    p[path.length] = a;
    p[path.length + 1] = b;
    return p;
  }

  private Node build(int lo, int hi, int width, SketchRandom rnd) {
    if (hi - lo == 1) {
      return new Node(lo);
    }
    int mid = lo + (hi - lo + 1) / 2;
    Node left = build(lo, mid, width, rnd);
    Node right = build(mid, hi, width, rnd);
    return new Node(left, right, width, leaves[0].size(), rnd);
  }

  /** @return the highest degree */
  public int degree() {
    return widths.length - 1;
  }

  /**
   * @param k a degree
   * @return its complex width {@code M_k} (0 when not sketched)
   */
  public int width(int k) {
    return k < 2 ? 0 : widths[k];
  }

  /** @return input length */
  public int dim() {
    return dim;
  }

  /**
   * Computes every degree's sketch of one input.
   *
   * @param u the input (real, length {@link #dim()}), not modified
   * @param offset where it starts
   * @return {@code out[k]}: the interleaved complex sketch of degree {@code k} (null below 2 and for
   *     unsketched degrees)
   */
  public double[][] apply(double[] u, int offset) {
    int used = usedLeaves();
    double[][] spectra = new double[used][];
    for (int j = 0; j < used; j++) {
      spectra[j] = leaves[j].workspace();
      leaves[j].transform(u, offset, spectra[j]);
    }
    return evaluateAll(spectra);
  }

  /**
   * Computes every degree's sketch when each leaf has its own input (e.g. independent CountSketches of
   * a sparse vector, the input-sparsity first stage of the subspace embedding): degree {@code k}
   * estimates {@code Π_{j<k} ⟨v_j(x), v_j(y)⟩}.
   *
   * @param leafInputs {@code leafInputs[j]}: the input of leaf {@code j} (real, length
   *     {@link #dim()}), not modified; at least {@link #degree()} of them
   * @return as {@link #apply(double[], int)}
   */
  public double[][] applyLeaves(double[][] leafInputs) {
    int used = usedLeaves();
    double[][] spectra = new double[used][];
    for (int j = 0; j < used; j++) {
      spectra[j] = leaves[j].workspace();
      leaves[j].transform(leafInputs[j], 0, spectra[j]);
    }
    return evaluateAll(spectra);
  }

  /**
   * A read-only view of a tree node, for other backends: a leaf ({@code leaf ≥ 0}: leaf transform
   * {@code leaf} of the input) or a TensorSRHT of two children, each child that is not a leaf
   * re-transformed by its own complex {@link Srht} first.
   *
   * @param leaf the leaf index, or −1
   * @param left the first child (null for a leaf)
   * @param right the second child
   * @param leftTransform the transform of a non-leaf first child, else {@code null}
   * @param rightTransform the transform of a non-leaf second child, else {@code null}
   * @param product the TensorSRHT (null for a leaf)
   */
  public record TreeNode(int leaf, TreeNode left, TreeNode right, Srht leftTransform,
      Srht rightTransform, TensorSrht product) {
  }

  /**
   * @param k a degree
   * @return the root of its tree, or {@code null} when the degree is not sketched
   */
  public TreeNode tree(int k) {
    return k < 2 || k >= roots.length || roots[k] == null ? null : view(roots[k]);
  }

  private static TreeNode view(Node n) {
    return n.leaf >= 0 ? new TreeNode(n.leaf, null, null, null, null, null)
        : new TreeNode(-1, view(n.left), view(n.right), n.leftTransform, n.rightTransform, n.product);
  }

  /**
   * @param j a leaf index, below {@link #usedLeaves()}
   * @return its transform of the input
   */
  public Srht leaf(int j) {
    return leaves[j];
  }

  /** @return how many leaf transforms the sketched degrees use */
  public int usedLeaves() {
    int used = 0;
    for (int k = 2; k < roots.length; k++) {
      if (roots[k] != null) {
        used = k;
      }
    }
    return used;
  }

  private double[][] evaluateAll(double[][] spectra) {
    double[][] out = new double[roots.length][];
    for (int k = 2; k < roots.length; k++) {
      if (roots[k] != null) {
        out[k] = evaluate(roots[k], spectra);
      }
    }
    return out;
  }

  private double[] evaluate(Node node, double[][] spectra) {
    double[] x = spectrum(node.left, node.leftTransform, spectra);
    double[] y = spectrum(node.right, node.rightTransform, spectra);
    double[] out = new double[2 * node.product.outputs()];
    node.product.product(x, y, out, 0, 1.0);
    return out;
  }

  private double[] spectrum(Node child, Srht transform, double[][] spectra) {
    if (child.leaf >= 0) {
      return spectra[child.leaf];
    }
    double[] values = evaluate(child, spectra);
    double[] s = transform.workspace();
    transform.transform(values, 0, s);
    return s;
  }
}
