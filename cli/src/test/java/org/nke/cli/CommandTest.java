package org.nke.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Base of the command-line tests: runs {@code nke} in-process and keeps what it wrote. */
abstract class CommandTest {
  /** What the last command wrote on stdout. */
  String out;
  /** What the last command wrote on stderr. */
  String err;

  /**
   * @param args the command line
   * @return the exit code
   */
  int nke(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
    out = o.toString();
    err = e.toString();
    return code;
  }
}
