package org.nke.spark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Lazy blocking of a partition's rows: a task holds at most one block of input rows and one block of
 * results at a time, whatever the size of its partition.
 */
final class Blocks {
  private Blocks() {
  }

  /**
   * @param in rows, consumed lazily
   * @param size rows per block
   * @param <T> row type
   * @return blocks of at most {@code size} rows, in order
   */
  static <T> Iterator<List<T>> of(Iterator<T> in, int size) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return in.hasNext();
      }

      @Override
      public List<T> next() {
        if (!in.hasNext()) {
          throw new NoSuchElementException();
        }
        List<T> block = new ArrayList<>(size);
        while (block.size() < size && in.hasNext()) {
          block.add(in.next());
        }
        return block;
      }
    };
  }

  /**
   * @param in rows, consumed lazily
   * @param size rows per block
   * @param f maps a block to its output rows
   * @param <T> input row type
   * @param <R> output row type
   * @return the output rows, block after block, in order
   */
  static <T, R> Iterator<R> flatMap(Iterator<T> in, int size, Function<List<T>, List<R>> f) {
    Iterator<List<T>> blocks = of(in, size);
    return new Iterator<>() {
      private Iterator<R> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && blocks.hasNext()) {
          current = f.apply(blocks.next()).iterator();
        }
        return current.hasNext();
      }

      @Override
      public R next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }
}
