package org.nke.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.nke.error.InvalidInputException;

/**
 * Dense {@code .npz} files ({@code np.savez}, {@code np.savez_compressed}: a ZIP of {@code .npy}
 * entries): the only array, or {@code arr_0} (the first positional array of {@code np.savez}). A scipy
 * sparse {@code .npz} ({@code scipy.sparse.save_npz}: entries {@code indptr}, {@code indices}, …) is
 * read by {@link SparseReaders}.
 */
public final class NpzReader {
  private NpzReader() {
  }

  /**
   * @param path a {@code .npz} file
   * @return whether it holds a scipy sparse matrix (an {@code indptr.npy} entry); {@code false} when
   *     it cannot be opened, so that the dense readers report the problem
   */
  public static boolean isSparse(Path path) {
    if (!Files.isRegularFile(path)) {
      return false;
    }
    try (ZipFile zip = new ZipFile(path.toFile())) {
      return zip.getEntry("indptr.npy") != null;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * @param path a dense {@code .npz} file
   * @return its only array, or {@code arr_0}
   * @throws InvalidInputException if it is not a ZIP of {@code .npy} entries or holds several arrays
   *     none of which is {@code arr_0}
   */
  public static NpyArray read(Path path) {
    try (ZipFile zip = new ZipFile(path.toFile())) {
      List<String> names = new ArrayList<>();
      for (ZipEntry e : Collections.list(zip.entries())) {
        if (e.getName().endsWith(".npy")) {
          names.add(e.getName());
        }
      }
      String pick = names.size() == 1 ? names.get(0) : names.contains("arr_0.npy") ? "arr_0.npy" : null;
      if (pick == null) {
        throw new InvalidInputException(path + " must hold one array, or arr_0 (np.savez), got "
            + (names.isEmpty() ? "no .npy entries" : "the arrays " + names.stream()
                .map(n -> n.substring(0, n.length() - 4)).toList()));
      }
      ZipEntry e = zip.getEntry(pick);
      try (InputStream in = new BufferedInputStream(zip.getInputStream(e), 1 << 16)) {
        return NpyReader.read(in, path + "[" + pick.substring(0, pick.length() - 4) + "]", e.getSize());
      }
    } catch (java.io.EOFException e) {
      throw new InvalidInputException(path + " is truncated: an entry ends before the data its header "
          + "announces", e);
    } catch (IOException e) {
      throw new InvalidInputException(path + " must be a .npz file (a ZIP of .npy arrays), got "
          + "unreadable contents: " + e.getMessage(), e);
    }
  }
}
